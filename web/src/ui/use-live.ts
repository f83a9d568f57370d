import { useEffect, useRef, useState } from 'preact/hooks';
import type { LiveEvent, LiveState, LiveType } from '../api/live.js';
import { live } from '../api/platform.js';

/**
 * Calls `onEvent` for each event of these types that `match` accepts, coalescing bursts: a
 * basket of ten scans reloads once, within 300 ms of the first (the 2 s promise holds).
 */
export function useLive(
  types: readonly LiveType[],
  onEvent: (event: LiveEvent) => void,
  match: (event: LiveEvent) => boolean = () => true,
): void {
  const handler = useRef(onEvent);
  const filter = useRef(match);
  handler.current = onEvent;
  filter.current = match;
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last: LiveEvent = {};
    const stops = types.map((type) =>
      live.subscribe(type, (event) => {
        if (!filter.current(event)) return;
        last = event;
        timer ??= setTimeout(() => {
          timer = undefined;
          handler.current(last);
        }, 300);
      }),
    );
    return () => {
      stops.forEach((stop) => stop());
      if (timer) clearTimeout(timer);
    };
  }, [types.join(',')]);
}

export function useLiveState(): LiveState {
  const [state, setState] = useState<LiveState>(live.state);
  useEffect(() => live.onState(setState), []);
  return state;
}

/** Re-renders every `ms` so "5 min ago" stays true. */
export function useNow(ms = 15_000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}
