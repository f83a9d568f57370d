const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;

/**
 * A duration as people write it: 90s, 15m, 8h, 7d, or parts together (1h30m); a leading '-' for
 * a negative one where that makes sense (a clock running behind). Milliseconds, or undefined
 * when the text is not a duration.
 */
export function parseDuration(text: string): number | undefined {
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  if (body === '') return undefined;
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < body.length) {
    const start = PART.lastIndex;
    const match = PART.exec(body);
    if (!match || match.index !== start) return undefined;
    total += Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  }
  return Math.round(negative ? -total : total);
}

/** 5400000 → 1h30m: how the CLI shows simulated time. */
export function formatDuration(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  let rest = Math.round(Math.abs(ms) / 1000);
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return sign + (parts.join('') || '0s');
}
