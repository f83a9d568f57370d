import type { OpeningHours, Weekday } from './ports.js';
import { localMinutes, parseWindows, type DailyWindow } from './maintenance-window.js';
import { rolloutFailure } from './rollout-errors.js';

export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/**
 * Checks a store's opening hours: every weekday named once, each a list of 'HH:MM-HH:MM' local
 * times (an end before the start runs past midnight into the next day; '00:00-24:00' open all
 * day; an empty list: closed all day). Refuses with invalid-opening-hours naming the day and the text.
 */
export function parseOpeningHours(hours: unknown): Map<Weekday, DailyWindow[]> {
  const bad = (why: string) => rolloutFailure('invalid-opening-hours', `opening hours: ${why}`);
  if (typeof hours !== 'object' || hours === null || Array.isArray(hours)) {
    throw bad(`an object with one list per weekday (${WEEKDAYS.join(', ')})`);
  }
  const unknown = Object.keys(hours).filter((k) => !(WEEKDAYS as readonly string[]).includes(k));
  if (unknown.length > 0) throw bad(`'${unknown[0]}' is not a weekday (${WEEKDAYS.join(', ')})`);
  const parsed = new Map<Weekday, DailyWindow[]>();
  for (const day of WEEKDAYS) {
    const list = (hours as Record<string, unknown>)[day];
    if (!Array.isArray(list)) throw bad(`${day}: a list of 'HH:MM-HH:MM' (empty: closed)`);
    if (list.length > 6) throw bad(`${day}: at most 6 opening periods`);
    parsed.set(
      day,
      list.map((x) => {
        const text = typeof x === 'string' ? x : JSON.stringify(x);
        // Open around the clock: the one period whose end is its start.
        if (text === '00:00-24:00') return { startMin: 0, endMin: 1440 };
        try {
          return parseWindows([text])[0]!;
        } catch {
          throw bad(`${day}: '${text}' is not HH:MM-HH:MM with distinct start and end`);
        }
      }),
    );
  }
  return parsed;
}

const weekdayFormats = new Map<string, Intl.DateTimeFormat>();

/** The weekday at `now` in an IANA zone (null: UTC). */
export function localWeekday(now: number, timezone: string | null): Weekday {
  const zone = timezone ?? 'UTC';
  let format = weekdayFormats.get(zone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'short' });
    } catch {
      throw rolloutFailure('invalid-timezone', `'${zone}' is not a known IANA time zone`);
    }
    weekdayFormats.set(zone, format);
  }
  return format.format(now).slice(0, 3).toLowerCase() as Weekday;
}

/**
 * Whether the store is open at `now`, read in its zone: inside one of today's periods, or in the
 * after-midnight part of yesterday's period that runs past midnight.
 */
export function openAt(
  now: number,
  timezone: string | null,
  hours: ReadonlyMap<Weekday, readonly DailyWindow[]>,
): boolean {
  const day = localWeekday(now, timezone);
  const m = localMinutes(now, timezone);
  const today = hours.get(day) ?? [];
  const yesterday = hours.get(WEEKDAYS[(WEEKDAYS.indexOf(day) + 6) % 7]!) ?? [];
  return (
    today.some((w) =>
      w.startMin < w.endMin ? m >= w.startMin && m < w.endMin : m >= w.startMin,
    ) || yesterday.some((w) => w.endMin < w.startMin && m < w.endMin)
  );
}

/** The hours as stored: each weekday's list in order. */
export function normaliseOpeningHours(hours: OpeningHours): OpeningHours {
  parseOpeningHours(hours);
  return Object.fromEntries(WEEKDAYS.map((d) => [d, [...hours[d]]])) as unknown as OpeningHours;
}
