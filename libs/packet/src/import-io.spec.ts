import fs from 'node:fs';
import { reviewRecord } from './packet.fixture';

describe('importing @fh/packet', () => {
  it('reads no data file at import; the fonts are read on the first render', async () => {
    const original = fs.readFileSync;
    const read: string[] = [];
    const spy = jest.spyOn(fs, 'readFileSync').mockImplementation(((...args: Parameters<typeof original>) => {
      read.push(String(args[0]));
      return original(...args);
    }) as typeof original);
    // Loading modules may read code through readFileSync; anything else is I/O.
    const data = () => read.filter((path) => !/\.(c|m)?(js|ts)$|\.json$|\.map$/.test(path));
    try {
      let packet: typeof import('./index') | undefined;
      jest.isolateModules(() => {
        packet = require('./index');
      });
      expect(data()).toEqual([]);
      const document = packet!.buildPacket(reviewRecord());
      await packet!.renderPacketPdf(document, {
        version: 1,
        sha256: packet!.sealed(document).sha256,
        generatedAt: new Date('2026-11-24T11:01:00Z'),
      });
      expect(data().map((path) => path.split('/').pop())).toEqual(['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf']);
    } finally {
      spy.mockRestore();
    }
  }, 30_000);
});
