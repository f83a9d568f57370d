/**
 * The little SQL the entity store needs, behind one interface with two adapters: PGlite (Postgres
 * compiled to WASM, in-process, on disk) and a PostgreSQL server through `pg`. Both speak the same
 * Postgres dialect, so the entity store writes its SQL once. Statements use `$1…$n` parameters;
 * one statement per call (PGlite's extended protocol takes no more).
 */
export interface SqlExecutor {
  query<Row extends object = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
  ): Promise<Row[]>;
}

export interface SqlClient extends SqlExecutor {
  readonly engine: 'pglite' | 'postgres';
  /**
   * Runs `work` in one transaction on one connection: committed when it resolves, rolled back when
   * it throws (the error is rethrown).
   */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
