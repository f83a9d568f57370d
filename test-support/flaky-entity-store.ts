import type { EntityStore } from '../src/stores/entities/entity-store.js';

/**
 * The real entity store whose projection fails while `down` is true, as a database outage would:
 * the platform parks what it cannot project as dead letters. Everything else goes through.
 */
export function flakyProjection(store: EntityStore, state: { down: boolean }): EntityStore {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'project') {
        return (events: Parameters<EntityStore['project']>[0]) =>
          state.down
            ? Promise.reject(new Error('entity store unavailable'))
            : target.project(events);
      }
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
  });
}
