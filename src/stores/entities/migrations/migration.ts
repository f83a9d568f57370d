/**
 * One step of the entity schema. Steps are numbered, applied in order, each once, and never edited
 * after release: a change is a new step. One statement per string (PGlite runs one per query).
 */
export interface Migration {
  readonly id: number;
  readonly name: string;
  readonly statements: readonly string[];
}
