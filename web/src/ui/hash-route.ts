import { useEffect, useState } from 'preact/hooks';

/**
 * A surface's views live in the fragment (`/ops#rollouts`, `/staff#cart/CART-0001`), so the
 * server's SPA fallback only ever sees the surface's own path.
 */
export interface HashRoute {
  readonly view: string;
  readonly arg: string | null;
}

export function parseHash(hash: string, fallback: string): HashRoute {
  const text = decodeURIComponent(hash.replace(/^#\/?/, ''));
  if (text === '') return { view: fallback, arg: null };
  const slash = text.indexOf('/');
  return slash === -1
    ? { view: text, arg: null }
    : { view: text.slice(0, slash), arg: text.slice(slash + 1) || null };
}

export function hashOf(view: string, arg?: string | null): string {
  return `#${view}${arg ? `/${encodeURIComponent(arg)}` : ''}`;
}

export function useHashRoute(fallback: string): HashRoute {
  const [route, setRoute] = useState(() => parseHash(location.hash, fallback));
  useEffect(() => {
    const update = () => setRoute(parseHash(location.hash, fallback));
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, [fallback]);
  return route;
}
