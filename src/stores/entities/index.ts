/** The entity store ("what is true now"): the port, its SQL adapters and the catalog import. */
export * from './entity-store.js';
export * from './errors.js';
export { openEntityStore, pgliteDir, type EntityStoreOptions } from './open-entity-store.js';
export { SqlEntityStore } from './sql-entity-store.js';
