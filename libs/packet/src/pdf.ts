/**
 * The packet as a PDF (pdfkit), rendered from the packet document alone, so the PDF says exactly
 * what the stored JSON says. Written for a busy health visitor: the transfer's key facts, then the
 * risk flags with critical ones in solid red, then the sections in order.
 *
 * Fonts are DejaVu Sans (embedded, subset): names are printed as written — Polish, Czech,
 * Romanian, Vietnamese, Greek, Cyrillic and more — since a packet that misspells who lives in the
 * household is a safeguarding risk in itself. Scripts the font lacks (e.g. Chinese, Arabic) show as
 * "?" (see pdfSafe); the JSON keeps the exact text.
 */
import * as fontkit from 'fontkit';
import { readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { isBruiseOrInjury } from '@fh/domain';
import { dateWords, instantWords } from './dates.js';
import { sectionOf, type PacketDocument, type PacketMeta, type PacketRiskFlag } from './packet.document.js';
import { plural } from './words.js';

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 48;
const FOOTER = 34;
const WIDTH = A4.width - 2 * MARGIN;

const INK = '#1a1a1a';
const MUTED = '#555555';
const ALERT = '#b00020';
const CRITICAL_FILL = '#b00020';
const HIGH = '#c25e00';
const HIGH_FILL = '#fff3e6';
const MEDIUM = '#7a7a7a';
const MEDIUM_FILL = '#f3f3f3';
const FACTS_FILL = '#eef3f8';
const WNB_FILL = '#fde8ea';

const REGULAR = 'DejaVuSans';
const BOLD = 'DejaVuSans-Bold';
/**
 * The fonts, read and parsed on the first render and kept for the process (parsing a 700 KB font for
 * every packet would triple its cost). Not at import: importing the library does no I/O.
 */
let fonts: Record<string, unknown> | null = null;
function loadedFonts(): Record<string, unknown> {
  fonts ??= {
    [REGULAR]: fontkit.create(readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'))),
    [BOLD]: fontkit.create(readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'))),
  };
  return fonts;
}

/** Unicode ranges DejaVu Sans draws: Latin (with extensions and Vietnamese), Greek, Cyrillic, punctuation, symbols. */
const DRAWN: readonly [number, number][] = [
  [0x20, 0x7e],
  [0xa0, 0x24f],
  [0x250, 0x2ff],
  [0x300, 0x36f],
  [0x370, 0x3ff],
  [0x400, 0x52f],
  [0x1e00, 0x1eff],
  [0x2000, 0x206f],
  [0x20a0, 0x20cf],
  [0x2100, 0x21ff],
  [0x2200, 0x22ff],
  [0x2500, 0x25ff],
];

const showable = (ch: string) => {
  const code = ch.codePointAt(0)!;
  return code === 0x0a || DRAWN.some(([from, to]) => code >= from && code <= to);
};

/** Text the font can draw: every character it has, "?" for the rest. */
export function pdfSafe(text: string): string {
  let out = '';
  for (const ch of text.replace(/\r\n?/g, '\n').replace(/\t/g, ' ')) out += showable(ch) ? ch : '?';
  return out;
}

type Doc = PDFKit.PDFDocument;
interface TextStyle {
  font?: string;
  size?: number;
  color?: string;
  x?: number;
  width?: number;
  gap?: number;
}

/** Renders the packet document (and its version details) to PDF bytes. */
export function renderPacketPdf(document: PacketDocument, meta: PacketMeta): Promise<Buffer> {
  const t = document.transfer;
  const doc: Doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN + FOOTER, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: {
      Title: `Handover packet ${t.reference}, version ${meta.version}`,
      Author: 'Family Handover',
      Subject: `Transfer from ${t.from.teamName} to ${t.to.teamName}`,
      CreationDate: meta.generatedAt,
    },
  });
  // pdfkit takes a parsed fontkit font as the source (its typings only name files and buffers).
  for (const [name, font] of Object.entries(loadedFonts())) doc.registerFont(name, font as Buffer);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const w = new Writer(doc);

  header(w, document, meta);
  keyFacts(w, document);
  flags(w, document.riskFlags);
  household(w, document);
  thinkFamily(w, document);
  children(w, document);
  concerns(w, document);
  appointments(w, document);
  support(w, document);
  directContact(w, document);
  footers(doc, document, meta);
  doc.end();
  return done;
}

/** Small layout helpers over pdfkit: styled text, page breaks before blocks, boxes. */
class Writer {
  constructor(readonly doc: Doc) {}

  get bottom(): number {
    return A4.height - MARGIN - FOOTER;
  }

  style(s: TextStyle): this {
    this.doc
      .font(s.font ?? REGULAR)
      .fontSize(s.size ?? 10)
      .fillColor(s.color ?? INK);
    return this;
  }

  height(text: string, s: TextStyle = {}): number {
    this.style(s);
    return this.doc.heightOfString(pdfSafe(text), { width: s.width ?? WIDTH, lineGap: s.gap ?? 1.5 });
  }

  /** Starts a new page unless `needed` points fit on this one. */
  ensure(needed: number): void {
    if (this.doc.y + needed > this.bottom) this.doc.addPage();
  }

  text(text: string, s: TextStyle = {}, continued = false): void {
    this.style(s);
    this.doc.text(pdfSafe(text), s.x ?? MARGIN, undefined, {
      width: s.width ?? WIDTH,
      lineGap: s.gap ?? 1.5,
      continued,
    });
  }

  /** "Label: value" on one flowing line, the label in bold. */
  field(label: string, value: string, s: TextStyle = {}): void {
    this.style({ ...s, font: BOLD });
    this.doc.text(pdfSafe(`${label}: `), s.x ?? MARGIN, undefined, {
      width: s.width ?? WIDTH,
      lineGap: 1.5,
      continued: true,
    });
    this.style({ ...s, font: s.font ?? REGULAR });
    this.doc.text(pdfSafe(value), { lineGap: 1.5 });
  }

  space(points: number): void {
    this.doc.y += points;
  }

  section(title: string, subtitle?: string): void {
    this.ensure(70);
    this.space(10);
    const y = this.doc.y;
    this.doc.rect(MARGIN, y, WIDTH, 1.5).fill(INK);
    this.doc.y = y + 6;
    this.text(title, { font: BOLD, size: 14 });
    if (subtitle) this.text(subtitle, { size: 9.5, color: MUTED });
    this.space(4);
  }

  subheading(title: string): void {
    this.ensure(40);
    this.space(4);
    this.text(title.toUpperCase(), { font: BOLD, size: 8.5, color: MUTED });
    this.space(2);
  }
}

function header(w: Writer, d: PacketDocument, meta: PacketMeta): void {
  const t = d.transfer;
  const doc = w.doc;
  w.text('HANDOVER PACKET', { font: BOLD, size: 9, color: MUTED });
  const top = doc.y;
  w.text(t.reference, { font: BOLD, size: 24 });
  w.style({ font: BOLD, size: 13 });
  doc.text(pdfSafe(`Version ${meta.version}`), MARGIN, top + 6, { width: WIDTH, align: 'right' });
  doc.y = top + 30;
  w.text(`From ${t.from.teamName}, ${t.from.areaName}  to  ${t.to.teamName}, ${t.to.areaName}`, {
    font: BOLD,
    size: 11.5,
  });
  w.text(t.statusText, { size: 10 });
  w.text(
    `Generated ${instantWords(meta.generatedAt.toISOString())}. Ages are given on ${dateWords(d.asOf)}. Fingerprint (SHA-256) ${meta.sha256.slice(0, 16)}…`,
    {
      size: 8.5,
      color: MUTED,
    },
  );
  w.space(8);
}

function keyFacts(w: Writer, d: PacketDocument): void {
  const t = d.transfer;
  const contact = sectionOf(d, 'directContact');
  const due = t.contactDueAt ? `by ${instantWords(t.contactDueAt)}` : null;
  const rows: [string, string][] = [
    ['Reference', t.reference],
    ['From', `${t.from.teamName}, ${t.from.areaName} (sending team)`],
    ['To', `${t.to.teamName}, ${t.to.areaName} (receiving team)`],
    ['Accountable practitioner', t.accountablePractitioner.text],
    [
      'Direct conversation',
      contact.contact
        ? `Recorded: ${contact.contact.methodText.toLowerCase()} at ${instantWords(contact.contact.occurredAt)}${due ? ` (due ${due})` : ''}.`
        : due
          ? `Due ${due}: not yet recorded.`
          : 'Not yet recorded.',
    ],
    ...(t.hostNotification ? [['Host notification', t.hostNotification.text] as [string, string]] : []),
    ...(t.conference
      ? [
          ['Transfer-in conference', t.conference.text] as [string, string],
          ...(t.conference.notes ? [['Conference notes', t.conference.notes] as [string, string]] : []),
        ]
      : []),
    ['Involvement', t.involvementText],
    [
      'The move',
      `${t.move.typeText}, on ${dateWords(t.move.date)}${t.move.previousArea ? `, from ${t.move.previousArea}` : ''}${t.move.newAddress ? `, to ${t.move.addressConfidential ? 'an address ' : ''}${t.move.newAddress}` : ''}.${t.move.reason ? ` Reason: ${t.move.reason}` : ''}`,
    ],
    ...(t.move.temporary ? [['Temporary move', t.move.temporary.text] as [string, string]] : []),
    ...(t.sharingBasis ? [['Lawful basis', t.sharingBasis.text] as [string, string]] : []),
    ...(t.familyInformed ? [['The family told', t.familyInformed.text] as [string, string]] : []),
    ...(t.familyNotReached ? notReachedRows(t.familyNotReached) : []),
  ];
  const labelWidth = 130;
  const valueWidth = WIDTH - labelWidth - 20;
  const height =
    rows.reduce((sum, [, value]) => sum + Math.max(w.height(value, { width: valueWidth }), 12) + 4, 0) + 16;
  w.ensure(height);
  const top = w.doc.y;
  w.doc.rect(MARGIN, top, WIDTH, height).fill(FACTS_FILL);
  let y = top + 8;
  for (const [label, value] of rows) {
    const deadline = label === 'Direct conversation' && !contact.recorded;
    w.style({ font: BOLD, size: 10 });
    w.doc.text(pdfSafe(label), MARGIN + 10, y, { width: labelWidth });
    w.style({ font: deadline ? BOLD : REGULAR, size: 10, color: deadline ? ALERT : INK });
    w.doc.text(pdfSafe(value), MARGIN + 10 + labelWidth, y, { width: valueWidth, lineGap: 1.5 });
    y = Math.max(w.doc.y, y + 12) + 4;
  }
  w.doc.y = top + height;
  w.doc.x = MARGIN;
}

function flags(w: Writer, list: PacketRiskFlag[]): void {
  const counts = (['critical', 'high', 'medium'] as const)
    .map((s) => [s, list.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  w.section(
    `Risk flags (${list.length})`,
    list.length
      ? `Most serious first: ${counts.join(', ')}. Each must be discussed in the direct conversation.`
      : undefined,
  );
  if (!list.length) {
    w.text('No risk flags are raised by what has been recorded.');
    return;
  }
  for (const f of list) flagBox(w, f);
}

function flagBox(w: Writer, f: PacketRiskFlag): void {
  const critical = f.severity === 'critical';
  const inner = WIDTH - 24;
  const fg = critical ? '#ffffff' : INK;
  const soft = critical ? '#ffe5e9' : MUTED;
  const about = f.about.length
    ? `About: ${f.about.map((p) => `${p.name} (${p.roleText})`).join('; ')}`
    : 'About: the whole household';
  // Every lead's advice, oldest first: a later one never stands in place of an earlier one.
  const advice = f.safeguardingAdvice.map(
    (a) =>
      `Safeguarding lead${a.name ? ` ${a.name}` : ''} acknowledged this on ${instantWords(a.acknowledgedAt)}. Advice: ${a.advice}` +
      // the bruising protocol (issue 14 item 4): what was done about each missing item
      (a.actions?.length ? ` What was done: ${a.actions.map((x) => `${x.itemText} — ${x.action}`).join('; ')}.` : ''),
  );
  const leads =
    advice.length > 0
      ? advice
      : critical
        ? [
            'A safeguarding lead must acknowledge this flag with advice before the transfer can be accepted: not yet done.',
          ]
        : [];
  const lines: [string, TextStyle][] = [
    [
      `${f.severityText.toUpperCase()}  ·  flag ${f.code}`,
      { font: BOLD, size: 8, color: critical ? '#ffffff' : f.severity === 'high' ? HIGH : MEDIUM },
    ],
    [f.title, { font: BOLD, size: critical ? 13 : 11.5, color: fg }],
    [f.summary, { size: 10, color: fg }],
    ...(f.protocol ? [[f.protocol.text, { size: 9.5, font: BOLD, color: fg }] as [string, TextStyle]] : []),
    [`Why it matters: ${f.meaning}`, { size: 9, color: soft }],
    [about, { size: 9, color: soft }],
    ...leads.map((lead): [string, TextStyle] => [lead, { size: 9, font: BOLD, color: fg }]),
  ];
  const height = lines.reduce((sum, [text, s]) => sum + w.height(text, { ...s, width: inner }) + 2, 0) + 16;
  w.ensure(height + 6);
  const top = w.doc.y;
  if (critical) w.doc.rect(MARGIN, top, WIDTH, height).fill(CRITICAL_FILL);
  else {
    w.doc.rect(MARGIN, top, WIDTH, height).fill(f.severity === 'high' ? HIGH_FILL : MEDIUM_FILL);
    w.doc.rect(MARGIN, top, 5, height).fill(f.severity === 'high' ? HIGH : MEDIUM);
  }
  w.doc.y = top + 8;
  for (const [text, s] of lines) {
    w.text(text, { ...s, x: MARGIN + 14, width: inner });
    w.space(2);
  }
  w.doc.y = top + height + 6;
  w.doc.x = MARGIN;
}

function household(w: Writer, d: PacketDocument): void {
  const s = sectionOf(d, 'household');
  w.section(
    s.heading,
    'Everyone recorded in the household and their role. Fathers and male carers are listed with mothers, in the same detail.',
  );
  w.text(s.confirmedText, { font: s.confirmed ? REGULAR : BOLD, color: s.confirmed ? INK : ALERT });
  if (s.noMaleCarerReason) w.field('No father or male carer recorded, because', s.noMaleCarerReason);
  const groups: [string, typeof s.members][] = [
    ['Parents and carers', s.members.filter((m) => m.group === 'parent_or_carer')],
    ['Other adults', s.members.filter((m) => m.group === 'other_adult')],
    ['Children', s.members.filter((m) => m.group === 'child')],
  ];
  for (const [title, members] of groups) {
    if (!members.length) continue;
    w.subheading(title);
    for (const m of members) {
      const facts = [
        m.sexText,
        m.ageText ? `${m.ageText}${m.group === 'child' ? '' : ' old'}` : 'date of birth not recorded',
        m.livesText,
      ].join('  ·  ');
      w.ensure(w.height(`${m.roleText}: ${m.name}`, { font: BOLD, size: 11 }) + 40);
      w.style({ font: BOLD, size: 11 });
      w.doc.text(pdfSafe(`${m.roleText}: `), MARGIN, undefined, { continued: true });
      w.style({ font: REGULAR, size: 11 });
      w.doc.text(pdfSafe(m.name));
      w.text(facts, { size: 9.5, color: MUTED, x: MARGIN + 12, width: WIDTH - 12 });
      if (m.seenText)
        w.text(m.seenText, {
          size: 9.5,
          font: m.seen === 'yes' ? REGULAR : BOLD,
          color: m.seen === 'yes' ? INK : ALERT,
          x: MARGIN + 12,
          width: WIDTH - 12,
        });
      if (m.riskFactors.length)
        w.text(`Risk: ${m.riskFactors.map((r) => r.text).join(', ')}`, {
          size: 9.5,
          x: MARGIN + 12,
          width: WIDTH - 12,
        });
      if (m.otherAgencies)
        w.text(`Known to ${plural(m.otherAgencies, 'other agency', 'other agencies')} (see Think Family)`, {
          size: 9.5,
          x: MARGIN + 12,
          width: WIDTH - 12,
        });
      w.space(5);
    }
  }
}

function thinkFamily(w: Writer, d: PacketDocument): void {
  const s = sectionOf(d, 'thinkFamily');
  w.section(s.heading, s.text);
  for (const a of s.adults) {
    w.ensure(50);
    w.text(`${a.person.roleText}: ${a.person.name}`, { font: BOLD, size: 11 });
    if (a.riskFactors.length)
      w.text(`Risk: ${a.riskFactors.map((r) => r.text).join(', ')}`, { size: 10, x: MARGIN + 12, width: WIDTH - 12 });
    if (!a.involvements.length)
      w.text('No other agency recorded.', { size: 10, color: MUTED, x: MARGIN + 12, width: WIDTH - 12 });
    for (const i of a.involvements) {
      w.text(`•  ${i.agencyText}, ${i.areaText}${i.detail ? `: ${i.detail}` : ''}`, {
        size: 10,
        x: MARGIN + 12,
        width: WIDTH - 12,
      });
    }
    w.space(5);
  }
}

function children(w: Writer, d: PacketDocument): void {
  const s = sectionOf(d, 'children');
  w.section(
    s.heading,
    'Age in completed months, mobility, GP registration, NHS number and whether seen in the new area, for each child.',
  );
  for (const c of s.children) {
    w.ensure(80);
    w.text(c.name, { font: BOLD, size: 11.5 });
    const x = MARGIN + 12;
    const width = WIDTH - 12;
    w.field('Age', `${c.ageText}${c.dateOfBirth ? ` (born ${dateWords(c.dateOfBirth)})` : ''}  ·  ${c.sexText}`, {
      size: 10,
      x,
      width,
    });
    w.field('Mobility', c.mobilityText, { size: 10, x, width });
    const gpAlert = c.gp.status !== 'registered';
    w.field('GP', c.gp.text, { size: 10, x, width, font: gpAlert ? BOLD : REGULAR, color: gpAlert ? ALERT : INK });
    const nhsAlert = c.nhsNumber.status !== 'valid';
    w.field('NHS number', c.nhsNumber.text, {
      size: 10,
      x,
      width,
      font: nhsAlert ? BOLD : REGULAR,
      color: nhsAlert ? ALERT : INK,
    });
    if (c.seenInNewArea) {
      const unseen = c.seenInNewArea.status === 'not_seen';
      w.field('Seen in the new area', c.seenInNewArea.text, {
        size: 10,
        x,
        width,
        font: unseen ? BOLD : REGULAR,
        color: unseen ? ALERT : INK,
      });
    }
    w.space(6);
  }
}

function concerns(w: Writer, d: PacketDocument): void {
  const s = sectionOf(d, 'concerns');
  w.section(s.heading, s.text);
  for (const c of s.concerns) {
    w.ensure(60);
    const age = c.ageInMonthsThen !== null ? `, ${plural(c.ageInMonthsThen, 'month', 'months')} old then` : '';
    w.text(`${dateWords(c.observedOn)}  ·  ${c.typeText}  ·  ${c.about.name} (${c.about.roleText}${age})`, {
      font: BOLD,
      size: 10.5,
    });
    if (c.description) w.text(c.description, { size: 10, x: MARGIN + 12, width: WIDTH - 12 });
    const alert = c.safeguardingAdviceSought !== true && isBruiseOrInjury(c.type);
    w.text(c.adviceText, {
      size: 10,
      font: alert ? BOLD : REGULAR,
      color: alert ? ALERT : INK,
      x: MARGIN + 12,
      width: WIDTH - 12,
    });
    // The bruising protocol's record (issue 14 item 4): each item, a missing one in bold red.
    if (c.bruisingProtocol) {
      w.text(c.bruisingProtocol.text, { size: 10, font: BOLD, x: MARGIN + 12, width: WIDTH - 12 });
      for (const item of c.bruisingProtocol.items)
        w.text(item.text, {
          size: 10,
          font: item.recorded ? REGULAR : BOLD,
          color: item.recorded ? INK : ALERT,
          x: MARGIN + 24,
          width: WIDTH - 24,
        });
    }
    w.space(5);
  }
}

interface Column {
  title: string;
  width: number;
}

/** A simple table: header row, then rows whose height follows their tallest cell. */
function table(
  w: Writer,
  columns: Column[],
  rows: { cells: string[]; highlight?: boolean; boldLast?: boolean }[],
): void {
  const pad = 4;
  const headerRow = () => {
    w.ensure(40);
    const y = w.doc.y;
    w.doc.rect(MARGIN, y, WIDTH, 16).fill('#e6e6e6');
    let x = MARGIN;
    for (const c of columns) {
      w.style({ font: BOLD, size: 8.5 });
      w.doc.text(pdfSafe(c.title), x + pad, y + 4, { width: c.width - 2 * pad, lineBreak: false });
      x += c.width;
    }
    w.doc.y = y + 16;
  };
  headerRow();
  for (const row of rows) {
    const styleOf = (i: number): TextStyle => ({
      size: 9,
      font: row.highlight && (i === row.cells.length - 1 || row.boldLast) ? BOLD : REGULAR,
      color: row.highlight && i === row.cells.length - 1 ? ALERT : INK,
    });
    const h =
      Math.max(...row.cells.map((cell, i) => w.height(cell, { ...styleOf(i), width: columns[i].width - 2 * pad }))) +
      2 * pad;
    if (w.doc.y + h > w.bottom) {
      w.doc.addPage();
      headerRow();
    }
    const y = w.doc.y;
    if (row.highlight) w.doc.rect(MARGIN, y, WIDTH, h).fill(WNB_FILL);
    let x = MARGIN;
    row.cells.forEach((cell, i) => {
      w.style(styleOf(i));
      w.doc.text(pdfSafe(cell), x + pad, y + pad, { width: columns[i].width - 2 * pad, lineGap: 1 });
      x += columns[i].width;
    });
    w.doc.rect(MARGIN, y + h - 0.5, WIDTH, 0.5).fill('#d0d0d0');
    w.doc.y = y + h;
  }
  w.doc.x = MARGIN;
  w.space(4);
}

function appointments(w: Writer, d: PacketDocument): void {
  const s = sectionOf(d, 'appointments');
  w.section(
    s.heading,
    'Every appointment recorded, oldest first. "Was not brought" means the child was not brought by the adults caring for them.',
  );
  w.text(s.text, { font: BOLD, color: s.wasNotBrought ? ALERT : INK });
  w.space(4);
  if (!s.appointments.length) return;
  table(
    w,
    [
      { title: 'Date', width: 78 },
      { title: 'For', width: 100 },
      { title: 'Appointment', width: 100 },
      { title: 'Provider', width: 110 },
      { title: 'Outcome', width: WIDTH - 388 },
    ],
    s.appointments.map((a) => ({
      cells: [
        dateWords(a.dueOn),
        `${a.for.name} (${a.for.roleText})`,
        a.kindText,
        a.provider ?? 'not recorded',
        a.statusText,
      ],
      highlight: a.wasNotBrought,
    })),
  );
}

function support(w: Writer, d: PacketDocument): void {
  const s = sectionOf(d, 'supportNetwork');
  w.section(s.heading);
  w.text(s.text, { font: s.leftSupportNetwork ? BOLD : REGULAR });
}

function directContact(w: Writer, d: PacketDocument): void {
  const s = sectionOf(d, 'directContact');
  w.section(s.heading);
  const c = s.contact;
  if (!c) {
    w.text(s.text, { font: BOLD, color: ALERT });
    return;
  }
  w.field('When and how', `${c.methodText}, ${instantWords(c.occurredAt)}`);
  if (c.sendingPractitioner) w.field('Sending practitioner spoken to', c.sendingPractitioner);
  if (c.recordedBy) w.field('Recorded by', c.recordedBy);
  const checked =
    c.state === 'confirmed' && c.checkedAt
      ? `${c.stateText}${c.checkedBy ? ` (${c.checkedBy})` : ''} on ${instantWords(c.checkedAt)}`
      : c.stateText;
  w.field('Checked back', checked, {
    font: c.state === 'disputed' ? BOLD : REGULAR,
    color: c.state === 'disputed' ? ALERT : INK,
  });
  if (c.disputeComment) w.field('Why it was disputed', c.disputeComment);
  w.space(4);
  w.text('What was discussed', { font: BOLD, size: 10.5 });
  w.text(c.summary);
  if (c.flagUnderstanding.length) {
    w.space(4);
    w.text('What the receiving practitioner understood of each risk flag', { font: BOLD, size: 10.5 });
    for (const f of c.flagUnderstanding) {
      w.ensure(30);
      w.style({ font: BOLD, size: 9.5 });
      w.doc.text(pdfSafe(`•  ${f.title}: `), MARGIN + 6, undefined, {
        width: WIDTH - 6,
        continued: true,
        lineGap: 1.5,
      });
      w.style({ size: 9.5 });
      w.doc.text(pdfSafe(f.understanding), { lineGap: 1.5 });
    }
  }
  w.space(6);
  w.text('Agreed actions', { font: BOLD, size: 10.5 });
  if (!c.agreedActions.length) {
    w.text('No actions were agreed.', { color: MUTED });
    return;
  }
  w.space(2);
  table(
    w,
    [
      { title: 'Action', width: 215 },
      { title: 'Who', width: 140 },
      { title: 'Due', width: 72 },
      { title: 'Review', width: WIDTH - 427 },
    ],
    c.agreedActions.map((a) => ({
      cells: [a.description, a.ownerText, dateWords(a.dueOn), a.reviewOn ? dateWords(a.reviewOn) : '-'],
    })),
  );
}

function footers(doc: Doc, d: PacketDocument, meta: PacketMeta): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = A4.height - MARGIN - 12;
    doc.rect(MARGIN, y - 6, WIDTH, 0.5).fill('#c0c0c0');
    doc.font(REGULAR).fontSize(8).fillColor(MUTED);
    doc.text(
      pdfSafe(
        `${d.transfer.reference}  ·  handover packet version ${meta.version}  ·  OFFICIAL-SENSITIVE: personal information about a family`,
      ),
      MARGIN,
      y,
      {
        width: WIDTH - 80,
        lineBreak: false,
      },
    );
    doc.text(`Page ${i + 1 - range.start} of ${range.count}`, MARGIN, y, {
      width: WIDTH,
      align: 'right',
      lineBreak: false,
    });
    doc.page.margins.bottom = bottom;
  }
}

/** The family not reached (issue 14 item 2) as rows of the facts box: the route, attempts, checks, alert, found. */
function notReachedRows(r: NonNullable<PacketDocument['transfer']['familyNotReached']>): [string, string][] {
  return [
    ['Family not reached', r.text],
    [
      'Attempts',
      r.attempts.map((a) => `${dateWords(a.on)}: ${a.methodText}${a.note ? ` (${a.note})` : ''}`).join('; '),
    ],
    [
      'Locate checks',
      r.checks
        .map(
          (c) =>
            `${c.text}: ${c.done ? (c.found ?? 'done') : 'NOT YET DONE'}${c.pupilFileMoved === null ? '' : c.pupilFileMoved ? ' (pupil file moved)' : ' (pupil file not moved)'}`,
        )
        .join('; '),
    ],
    ['National alert', r.nationalAlertText],
    ...(r.foundText ? [['Family found', r.foundText] as [string, string]] : []),
  ];
}
