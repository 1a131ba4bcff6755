/**
 * The text of a PDF, page by page, as a reader would copy it (pdfjs-dist, Mozilla's PDF engine).
 * Lines on a page are joined with newlines; runs on one line with a space where the PDF has a gap.
 */
interface TextItem {
  str: string;
  hasEOL: boolean;
}

let loaded: Promise<typeof import('pdfjs-dist/legacy/build/pdf.mjs')> | null = null;

async function pdfjs() {
  loaded ??= (async () => {
    // Run pdf.js's parser in this thread (no worker thread to start inside Jest).
    const workerModule: string = 'pdfjs-dist/legacy/build/pdf.worker.mjs'; // ships no type declarations
    const worker: unknown = await import(workerModule);
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = worker;
    return import('pdfjs-dist/legacy/build/pdf.mjs');
  })();
  return loaded;
}

export async function pdfPages(bytes: Uint8Array): Promise<string[]> {
  const { getDocument } = await pdfjs();
  const document = await getDocument({
    data: new Uint8Array(bytes),
    useSystemFonts: false,
    isEvalSupported: false,
    verbosity: 0,
  }).promise;
  try {
    const pages: string[] = [];
    for (let n = 1; n <= document.numPages; n++) {
      const page = await document.getPage(n);
      const content = await page.getTextContent();
      pages.push(
        (content.items as TextItem[])
          .map((item) => item.str + (item.hasEOL ? '\n' : ''))
          .join('')
          .replace(/[ \t]+/g, ' '),
      );
    }
    return pages;
  } finally {
    await document.destroy();
  }
}

/** All the text, with runs of whitespace (line breaks included) folded to one space. */
export async function pdfText(bytes: Uint8Array): Promise<string> {
  return (await pdfPages(bytes)).join('\n').replace(/\s+/g, ' ');
}
