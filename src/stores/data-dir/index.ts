/** The data directory: atomic writes, strict reads and the layout of files under `--data DIR`. */
export * from './atomic-file.js';
export * from './errors.js';
export * from './json-file.js';
export * from './layout.js';
export * from './platform-lock.js';
export * from './read-file.js';
