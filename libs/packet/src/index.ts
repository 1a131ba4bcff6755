/**
 * @fh/packet — the handover packet, with no framework and no I/O.
 *
 * packet.document  what a packet holds, in reading order (the JSON clients get)
 * snapshot         a stored transfer → its packet document
 * canonical-json   canonical JSON (sorted keys) and its SHA-256
 * pdf              the packet document → PDF (pdfkit)
 * words            the service's codes in plain words
 */
export * from './packet.document.js';
export * from './snapshot.js';
export * from './canonical-json.js';
export * from './pdf.js';
export * from './words.js';
export * from './dates.js';
