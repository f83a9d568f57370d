/**
 * The source of a worker thread that runs `entry` (a module URL ending in .ts or .js): from dist/
 * it imports the compiled module; under tsx (tests, benchmarks) a worker does not inherit the
 * TypeScript loader, so the script registers it first.
 */
export function workerScript(entry: URL): string {
  const href = JSON.stringify(entry.href);
  return entry.href.endsWith('.ts')
    ? `import('tsx/esm/api').then(({ register }) => { register(); return import(${href}); })`
    : `import(${href})`;
}

/** The sibling module `name` (without extension) of `from`, in the same flavour (.ts or .js). */
export function siblingModule(from: string, name: string): URL {
  return new URL(`./${name}.${from.endsWith('.ts') ? 'ts' : 'js'}`, from);
}
