/** A column of a table for people: its header, and how far it may shrink to fit the terminal. */
export interface Column {
  readonly header: string;
  /** Numbers line up on the right. */
  readonly align?: 'left' | 'right';
  /** The narrowest the column gets when the table is too wide (default: its header's width). */
  readonly min?: number;
}

export const TERMINAL_WIDTH = 80;
const GAP = '  ';

/** `text` in at most `width` characters, the cut marked with an ellipsis. */
export function ellipsize(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  if (width <= 0) return '';
  return chars.slice(0, width - 1).join('') + '…';
}

/**
 * The lines of a table no wider than `width`: each column as wide as its widest cell, then the
 * widest columns narrowed one character at a time (never below their minimum) until the table
 * fits, with cut cells ellipsized. Only when every column is at its minimum can it stay wider.
 */
export function renderTable(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
  width = TERMINAL_WIDTH,
): string[] {
  const widths = columns.map((c, i) =>
    Math.max(length(c.header), ...rows.map((r) => length(r[i] ?? ''))),
  );
  const floors = columns.map((c, i) => Math.min(widths[i]!, c.min ?? length(c.header)));
  const total = () => widths.reduce((a, b) => a + b, 0) + GAP.length * (columns.length - 1);
  while (total() > width) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) {
      if (widths[i]! > floors[i]! && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    }
    if (widest < 0) break;
    widths[widest]!--;
  }
  const line = (cells: readonly string[]) =>
    columns
      .map((c, i) => {
        const cell = ellipsize(cells[i] ?? '', widths[i]!);
        const pad = ' '.repeat(widths[i]! - length(cell));
        return c.align === 'right' ? pad + cell : cell + pad;
      })
      .join(GAP)
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...rows.map(line)];
}

function length(text: string): number {
  return [...text].length;
}
