import type { Logger } from '../observability/logger.js';
import type { ProjectionLog } from '../ingest/projection-log.js';
import type { LivePublisher } from './live-events.js';

/**
 * The projection log, telling the live stream when events are parked as dead letters or leave
 * the store after a replay. It observes the two writes that change the store, after they
 * succeeded, so a page never hears of a change that did not happen.
 */
export function deadLetterFeed(
  log: ProjectionLog,
  bus: LivePublisher,
  logger: Logger,
): ProjectionLog {
  const tell = (change: 'added' | 'replayed', count: number) => {
    if (count === 0 || !bus.listening) return;
    log
      .countDeadLetters()
      .then((total) => bus.publish('dead-letter', {}, { change, count, total }))
      .catch((error: unknown) => logger.error({ err: error }, 'live dead-letter event failed'));
  };
  return {
    cursor: () => log.cursor(),
    advance: async (seq, failed, at) => {
      await log.advance(seq, failed, at);
      tell('added', failed.length);
    },
    listDeadLetters: (limit) => log.listDeadLetters(limit),
    countDeadLetters: () => log.countDeadLetters(),
    removeDeadLetters: async (ids) => {
      await log.removeDeadLetters(ids);
      tell('replayed', ids.length);
    },
    markReplayFailed: (id, error, at) => log.markReplayFailed(id, error, at),
    close: () => log.close(),
  };
}
