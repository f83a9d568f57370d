import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * JSON log lines on stderr: one object per event with its device id, store and type as fields,
 * so a log pipeline can cut by any of them.
 */
export function createLogger(
  options: { level?: string; destination?: NodeJS.WritableStream } = {},
): Logger {
  return pino(
    { level: options.level ?? process.env['FLEETPLANE_LOG_LEVEL'] ?? 'info', base: undefined },
    options.destination ?? process.stderr,
  );
}

/** A logger that writes nothing, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
