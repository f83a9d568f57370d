import { Failure } from '../../shared/failure.js';

/**
 * Every expected failure of the entity store, in one closed set. The CLI prints the code; callers
 * match on it.
 */
export type EntityErrorCode =
  // the engine
  | 'invalid-entity-url'
  | 'entity-store-unavailable'
  | 'entity-schema-newer'
  // catalog import
  | 'catalog-unreadable'
  | 'invalid-catalog';

export class EntityFailure extends Failure<EntityErrorCode> {}

export function entityFailure(
  code: EntityErrorCode,
  message: string,
  cause?: unknown,
): EntityFailure {
  return new EntityFailure(code, message, cause === undefined ? undefined : { cause });
}
