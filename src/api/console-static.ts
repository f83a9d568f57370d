import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The built web app of the package (`npm run build:web` writes it): two levels up from this
 * module both in src/api (tsx) and in dist/api (the compiled CLI).
 */
export const PACKAGED_WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/** The console's pages: each is index.html, and the app routes in the browser. */
const SPA_ROOTS = ['/signin', '/staff', '/ops', '/app', '/docs'] as const;

/** Vite names what it writes under assets/ by content hash: a new build is a new name. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html names the current hashes, so the browser asks again every time. */
const REVALIDATE = 'no-cache';

/**
 * Serves the console from `dist` at `/` with a fallback to index.html for its pages, .br/.gz
 * siblings to clients that accept them, and cache headers by kind of file. Other paths (the
 * API's /v1 among them) keep the API's JSON 404. Without a build, the pages answer 503 saying how
 * to make one, so a platform started from a source checkout still serves its API.
 */
export async function registerConsole(app: FastifyInstance, dist: string): Promise<void> {
  const pages = ['/', ...SPA_ROOTS, ...SPA_ROOTS.map((root) => `${root}/*`)];
  if (!existsSync(join(dist, 'index.html'))) {
    for (const page of pages) {
      app.get(page, { schema: { hide: true } }, (_request, reply) => notBuilt(reply));
    }
    return;
  }
  const assets = join(dist, 'assets') + sep;
  await app.register(fastifyStatic, {
    root: dist,
    prefix: '/',
    preCompressed: true,
    cacheControl: false,
    // Directory listings and index resolution would serve what a page route already serves.
    index: false,
    list: false,
    setHeaders: (res, path) => {
      res.setHeader('cache-control', path.startsWith(assets) ? IMMUTABLE : REVALIDATE);
      // The same URL answers br, gzip or identity: a shared cache must keep them apart.
      res.setHeader('vary', 'accept-encoding');
    },
  });
  for (const page of pages) {
    app.get(page, { schema: { hide: true } }, (_request, reply) => reply.sendFile('index.html'));
  }
}

function notBuilt(reply: FastifyReply): FastifyReply {
  return reply
    .status(503)
    .header('cache-control', 'no-store')
    .type('text/plain; charset=utf-8')
    .send(
      'The fleetplane console is not built: run `npm run build:web` in the fleetplane package, ' +
        'then reload this page. The HTTP API under /v1 works without it.\n',
    );
}
