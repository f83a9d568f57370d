import { ApiClient } from './client.js';
import { LiveStream } from './live.js';

/** The page's one client of the API; the step-up ceremony is loaded the first time it is needed. */
export const api = new ApiClient({
  // An expired session sends the person to sign in again, back to this surface afterwards.
  onUnauthenticated: () => {
    const surface = '/' + (location.pathname.split('/')[1] ?? '');
    if (surface !== '/signin' && surface !== '/docs') {
      location.assign(`/signin?next=${encodeURIComponent(surface)}`);
    }
  },
});
api.stepUp = async () => {
  const { stepUp } = await import('./ceremonies.js');
  await stepUp(api);
};

/** The page's one connection to GET /v1/stream, opened by the first subscriber. */
export const live = new LiveStream(() => new EventSource('/v1/stream'));
