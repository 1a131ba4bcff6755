/**
 * @fh/packet — the handover packet, with no framework and no I/O.
 *
 * packet.document  what a packet holds, in reading order (the JSON clients get)
 * packet.source    what a packet is built from (a transfer's snapshot, in this library's terms)
 * snapshot         a packet source → its packet document
 * canonical-json   canonical JSON (sorted keys) and its SHA-256
 * pdf              the packet document → PDF (pdfkit)
 * words            the service's codes in plain words
 */
export * from './packet.document.js';
export * from './packet.source.js';
export * from './snapshot.js';
export * from './canonical-json.js';
export * from './pdf.js';
export * from './words.js';
export * from './dates.js';
