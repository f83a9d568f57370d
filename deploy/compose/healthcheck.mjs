// The container's health check: GET /healthz, 0 when it answers 200 within 4 s, 1 otherwise.
// HTTPS (the API) trusts the fleet CA's bundle in the data directory; an ingest process's health
// endpoint is plain HTTP (FLEETPLANE_HEALTH_URL).
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

const url = new URL(process.env.FLEETPLANE_HEALTH_URL ?? 'https://127.0.0.1:8080/healthz');
const data = process.env.FLEETPLANE_DATA ?? '/fleet';
const options =
  url.protocol === 'https:' ? { ca: readFileSync(`${data}/ca/trust-bundle.pem`) } : {};
const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
  url,
  { ...options, timeout: 4000 },
  (response) => {
    response.resume();
    process.exit(response.statusCode === 200 ? 0 : 1);
  },
);
request.on('timeout', () => request.destroy(new Error('timed out')));
request.on('error', (error) => {
  console.error(`unhealthy: ${error.message}`);
  process.exit(1);
});
request.end();
