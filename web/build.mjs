#!/usr/bin/env node
// Builds the console (decision 023) into web/dist: one module entry that loads each surface as its
// own chunk, content-hashed names under dist/assets, an index.html without inline script or style
// (the API sends a strict CSP), .gz and .br copies for the static server, and a size report of the
// JavaScript gzipped that fails the build over the budget.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const BUDGET_BYTES = 300 * 1000;
const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, 'dist');
const assets = join(dist, 'assets');
const quiet = process.argv.includes('--quiet');

await rm(dist, { recursive: true, force: true });
await mkdir(assets, { recursive: true });

const result = await build({
  absWorkingDir: root,
  entryPoints: { main: 'src/main.tsx' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome111', 'firefox115', 'safari16.4'],
  minify: true,
  outdir: assets,
  entryNames: '[name]-[hash]',
  chunkNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  tsconfig: join(root, 'tsconfig.json'),
  define: { 'process.env.NODE_ENV': '"production"' },
  loader: { '.svg': 'file' },
  legalComments: 'linked',
  metafile: true,
  logLevel: 'warning',
});

const outputs = Object.entries(result.metafile.outputs);
const entry = outputs.find(([, o]) => o.entryPoint === 'src/main.tsx');
if (!entry) throw new Error('esbuild produced no main entry');
const [mainJs, mainMeta] = entry;
const url = (file) => '/' + relative(dist, join(root, file)).split('\\').join('/');
const favicon = await writeFavicon();
// The chunks main imports statically (Preact, the API client) load beside it, not after it.
const preloads = mainMeta.imports
  .filter((i) => i.kind === 'import-statement')
  .map((i) => `<link rel="modulepreload" href="${url(i.path)}" />`)
  .join('\n    ');

const html = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="color-scheme" content="light" />
    <title>fleetplane console</title>
    <link rel="icon" href="${favicon}" type="image/svg+xml" />
    ${mainMeta.cssBundle ? `<link rel="stylesheet" href="${url(mainMeta.cssBundle)}" />` : ''}
    <script type="module" src="${url(mainJs)}"></script>
    ${preloads}
  </head>
  <body>
    <div id="app"><noscript>The fleetplane console needs JavaScript.</noscript></div>
  </body>
</html>
`;
await writeFile(join(dist, 'index.html'), html);

await precompress(dist);
const failed = report(outputs.filter(([file]) => file.endsWith('.js')));
if (failed) process.exit(1);

async function writeFavicon() {
  const svg =
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#0b5394"/><path d="M4 11h8M5 5h6l-1 4H6z" stroke="#fff" stroke-width="1.5" fill="none"/></svg>';
  await writeFile(join(assets, 'favicon.svg'), svg);
  return '/assets/favicon.svg';
}

async function precompress(dir) {
  for (const name of await readdir(dir)) {
    const path = join(dir, name);
    if ((await stat(path)).isDirectory()) {
      await precompress(path);
      continue;
    }
    if (!/\.(js|css|html|svg|txt|json)$/.test(name)) continue;
    const body = await readFile(path);
    await writeFile(`${path}.gz`, gzipSync(body, { level: 9 }));
    await writeFile(
      `${path}.br`,
      brotliCompressSync(body, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: 11,
          [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
        },
      }),
    );
  }
}

/** Prints each chunk's size and gzipped size; true when the gzipped total is over the budget. */
function report(jsOutputs) {
  const rows = jsOutputs
    .map(([file, meta]) => {
      const body = readFileSync(join(root, file));
      return {
        name: relative('dist', file),
        raw: meta.bytes,
        gz: gzipSync(body, { level: 9 }).length,
      };
    })
    .sort((a, b) => b.gz - a.gz);
  const total = rows.reduce((sum, r) => sum + r.gz, 0);
  const kb = (n) => (n / 1000).toFixed(1).padStart(7) + ' kB';
  const width = Math.max(...rows.map((r) => r.name.length), 5);
  const lines = [
    `${'chunk'.padEnd(width)}  ${'minified'.padStart(10)}  ${'gzipped'.padStart(10)}`,
    ...rows.map((r) => `${r.name.padEnd(width)}  ${kb(r.raw)}  ${kb(r.gz)}`),
    `${'total'.padEnd(width)}  ${kb(rows.reduce((s, r) => s + r.raw, 0))}  ${kb(total)}`,
    `budget: ${kb(BUDGET_BYTES).trim()} of JavaScript gzipped`,
  ];
  if (!quiet || total > BUDGET_BYTES) console.log(lines.join('\n'));
  if (total > BUDGET_BYTES) {
    console.error(
      `web build: ${kb(total).trim()} gzipped is over the ${kb(BUDGET_BYTES).trim()} budget`,
    );
    return true;
  }
  return false;
}
