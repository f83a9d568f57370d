import { useEffect } from 'preact/hooks';

/** Reads again every `ms` while the page is visible (a hidden tab costs the API nothing). */
export function usePolling(reload: () => void, ms: number, deps: readonly unknown[]): void {
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState !== 'hidden') reload();
    }, ms);
    return () => clearInterval(timer);
  }, deps);
}
