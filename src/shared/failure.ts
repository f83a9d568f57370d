/**
 * An expected failure: bad input or a state the caller can fix. It carries a stable code from a
 * closed set owned by the boundary that raises it, so callers match on codes, not message text.
 * Anything that is not a Failure is a bug.
 */
export class Failure<Code extends string = string> extends Error {
  readonly code: Code;

  constructor(code: Code, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'Failure';
    this.code = code;
  }
}

export function isFailure(error: unknown): error is Failure {
  return error instanceof Failure;
}
