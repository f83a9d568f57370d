import { openAt, parseOpeningHours } from './opening-hours.js';
import type { SendIn, StoreCalendar } from './ports.js';
import { rolloutFailure } from './rollout-errors.js';

/** A daily window in local minutes since midnight; end < start spans midnight. */
export interface DailyWindow {
  readonly startMin: number;
  readonly endMin: number;
}

const WINDOW = /^([01][0-9]|2[0-3]):([0-5][0-9])-([01][0-9]|2[0-3]|24):([0-5][0-9])$/;

/** Parses 'HH:MM-HH:MM' windows (24:00 allowed as an end); refuses with invalid-window. */
export function parseWindows(windows: readonly string[]): DailyWindow[] {
  return windows.map((text) => {
    const m = WINDOW.exec(text);
    const startMin = m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
    const endMin = m ? Number(m[3]) * 60 + Number(m[4]) : NaN;
    if (!m || endMin > 1440 || startMin === endMin % 1440) {
      throw rolloutFailure(
        'invalid-window',
        `maintenance window '${text}' is not HH:MM-HH:MM with distinct start and end`,
      );
    }
    return { startMin, endMin };
  });
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Minutes since local midnight at `now` in an IANA zone (null: UTC). */
export function localMinutes(now: number, timezone: string | null): number {
  const zone = timezone ?? 'UTC';
  let format = formatters.get(zone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-GB', {
        timeZone: zone,
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      });
    } catch {
      throw rolloutFailure('invalid-timezone', `'${zone}' is not a known IANA time zone`);
    }
    formatters.set(zone, format);
  }
  let hour = 0;
  let minute = 0;
  for (const part of format.formatToParts(now)) {
    if (part.type === 'hour') hour = Number(part.value);
    if (part.type === 'minute') minute = Number(part.value);
  }
  return hour * 60 + minute;
}

/** Whether `now` lies in one of the windows, read in the zone; no windows means any time. */
export function insideWindow(
  now: number,
  timezone: string | null,
  windows: readonly DailyWindow[],
): boolean {
  if (windows.length === 0) return true;
  const m = localMinutes(now, timezone);
  return windows.some((w) =>
    w.startMin < w.endMin
      ? m >= w.startMin && m < w.endMin
      : m >= w.startMin || m < w.endMin % 1440,
  );
}

/**
 * Which of the stores may be sent jobs now. In 'maintenance-windows': those inside a window,
 * those with none, and those the calendar does not know. In 'store-closed-hours': those whose
 * opening hours say they are closed now; a store whose hours are not known falls back to its
 * windows (refusing it would stall the rollout, sending at any time would ignore the ask). A
 * zone this runtime does not know must not stall every rollout: it is read as UTC.
 */
export async function openStores(
  calendar: StoreCalendar,
  storeIds: readonly string[],
  now: number,
  sendIn: SendIn = 'maintenance-windows',
): Promise<Set<string>> {
  const ids = [...new Set(storeIds)];
  const schedules = new Map((await calendar.schedules(ids)).map((s) => [s.storeId, s]));
  return new Set(
    ids.filter((id) => {
      const s = schedules.get(id);
      if (s === undefined) return true;
      const read = (zone: string | null) =>
        sendIn === 'store-closed-hours' && s.openingHours
          ? !openAt(now, zone, parseOpeningHours(s.openingHours))
          : insideWindow(now, zone, parseWindows(s.windows));
      try {
        return read(s.timezone);
      } catch (e) {
        if (!isZoneFailure(e)) throw e;
        return read(null);
      }
    }),
  );
}

const isZoneFailure = (e: unknown) =>
  typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'invalid-timezone';
