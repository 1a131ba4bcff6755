/**
 * Bar charts for /monitoring, drawn on the server as SVG: no script, no colour-only meaning (every
 * bar has its label and number written beside it), text in GOV.UK black on white, bars in colours
 * with at least 3:1 contrast against white. Each chart is `role="img"` with a <title> and a
 * <desc> that says the figures in words; the page shows the same numbers in a table too.
 */

export interface Bar {
  label: string;
  value: number;
  /** A second line under the label (e.g. the escalation level of a group). */
  group?: string;
  colour?: string;
}

export interface Chart {
  id: string;
  title: string;
  description: string;
  svg: string;
}

/** GOV.UK palette: blue, purple, red (all ≥ 4.5:1 on white), dark grey text. */
export const COLOURS = { blue: '#1d70b8', purple: '#4c2c92', red: '#d4351c', text: '#0b0c0c', rule: '#b1b4b6' };

const escapeXml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const WIDTH = 680;
const LABEL_WIDTH = 280;
const VALUE_SPACE = 60;
const BAR_HEIGHT = 28;
const GAP = 12;
const GROUP_GAP = 18;
const FONT = 'font-family="&quot;GDS Transport&quot;, arial, sans-serif"';

/**
 * A horizontal bar chart. Bars with the same `group` are drawn together under the group's
 * heading (for "open chase items by kind and escalation level": a group per kind, a bar per level).
 */
export function barChart(id: string, title: string, bars: Bar[], unit: { one: string; many: string }): Chart {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const barArea = WIDTH - LABEL_WIDTH - VALUE_SPACE;
  const parts: string[] = [];
  let y = 8;
  let lastGroup: string | undefined;
  for (const bar of bars) {
    if (bar.group !== undefined && bar.group !== lastGroup) {
      if (lastGroup !== undefined) y += GROUP_GAP;
      parts.push(
        `<text x="0" y="${y + 16}" font-size="17" font-weight="700" fill="${COLOURS.text}" ${FONT}>${escapeXml(bar.group)}</text>`,
      );
      y += 26;
      lastGroup = bar.group;
    }
    const width = bar.value === 0 ? 0 : Math.max(3, Math.round((bar.value / max) * barArea));
    const middle = y + BAR_HEIGHT / 2 + 6;
    parts.push(
      `<text x="${LABEL_WIDTH - 10}" y="${middle}" text-anchor="end" font-size="16" fill="${COLOURS.text}" ${FONT}>${escapeXml(bar.label)}</text>`,
      `<rect x="${LABEL_WIDTH}" y="${y}" width="${width}" height="${BAR_HEIGHT}" fill="${bar.colour ?? COLOURS.blue}"></rect>`,
      `<text x="${LABEL_WIDTH + width + 8}" y="${middle}" font-size="16" font-weight="700" fill="${COLOURS.text}" ${FONT}>${bar.value}</text>`,
    );
    y += BAR_HEIGHT + GAP;
  }
  if (!bars.length) {
    parts.push(`<text x="0" y="${y + 16}" font-size="16" fill="${COLOURS.text}" ${FONT}>Nothing to show</text>`);
    y += 30;
  }
  const height = y + 4;
  const axis = `<line x1="${LABEL_WIDTH}" y1="0" x2="${LABEL_WIDTH}" y2="${height - 4}" stroke="${COLOURS.rule}" stroke-width="1"></line>`;
  const description = bars.length
    ? bars
        .map((b) => `${b.group ? `${b.group}, ` : ''}${b.label}: ${b.value} ${b.value === 1 ? unit.one : unit.many}`)
        .join('; ') + '.'
    : 'Nothing to show.';
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" class="console-chart" role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${WIDTH} ${height}" width="100%" focusable="false">` +
    `<title id="${id}-title">${escapeXml(title)}</title><desc id="${id}-desc">${escapeXml(description)}</desc>` +
    `<rect x="0" y="0" width="${WIDTH}" height="${height}" fill="#ffffff"></rect>${axis}${parts.join('')}</svg>`;
  return { id, title, description, svg };
}
