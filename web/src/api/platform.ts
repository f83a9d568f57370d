import { ApiClient } from './client.js';
import { LiveStream } from './live.js';

/** The page's one client of the API; the step-up ceremony is loaded the first time it is needed. */
export const api = new ApiClient();
api.stepUp = async () => {
  const { stepUp } = await import('./ceremonies.js');
  await stepUp(api);
};

/** The page's one connection to GET /v1/stream, opened by the first subscriber. */
export const live = new LiveStream(() => new EventSource('/v1/stream'));
