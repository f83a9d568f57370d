import { buildSync } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Bundles the ingest function (its handler and the platform's pipeline code it imports) with the
 * esbuild the platform already has, into one ES module file: no Docker, no AWS account, the same
 * result on every synth. Returns the folder to deploy.
 */
export function bundleIngest(outDir = join(here, '..', '.build', 'ingest')): string {
  mkdirSync(outDir, { recursive: true });
  buildSync({
    entryPoints: [join(here, '..', 'lambda', 'ingest-handler.ts')],
    outfile: join(outDir, 'index.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'error',
    // pino and prom-client are CommonJS and call require(); an ES module bundle has none.
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  });
  return outDir;
}
