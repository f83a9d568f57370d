import type { FastifyInstance } from 'fastify';
import {
  cardDataMessage,
  cardNumberIn,
  findCardData,
  type CardDataFinding,
} from './card-data-guard.js';

/** Thrown by the guard; the error handler answers 422 and counts it, without the request. */
export class CardDataRefusal extends Error {
  constructor(readonly finding: CardDataFinding) {
    super(cardDataMessage(finding));
    this.name = 'CardDataRefusal';
  }
}

/** JSON.parse's own message quotes the text around the error; this one quotes nothing. */
export class InvalidJson extends Error {
  constructor() {
    super('the body is not valid JSON');
    this.name = 'InvalidJson';
  }
}

/**
 * Puts the card-data guard in front of everything the service reads from a request:
 *
 * - the URL (path and query), on every request including unknown routes;
 * - a body that is not valid JSON, as text, in the JSON parser (nothing else could read it);
 * - the parsed body, in preValidation: fastify's preHandler would run after schema validation,
 *   and a request with a card number is refused as such even when it is malformed too.
 *
 * JSON is the only body the service takes (anything else is 415, unread), and the parser replaces
 * fastify's so a parse error cannot quote the body back.
 */
export function installCardDataGuard(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    const reason = cardNumberIn(decodeUrl(request.url));
    if (reason) throw new CardDataRefusal({ path: '(url)', reason });
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = body as string;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Searched between quotes, so a UUID in an unparsable body stays a UUID.
      const reason = text
        .split('"')
        .map(cardNumberIn)
        .find((r) => r !== undefined);
      done(reason ? new CardDataRefusal({ path: '$', reason }) : new InvalidJson(), undefined);
      return;
    }
    done(null, parsed);
  });

  app.addHook('preValidation', async (request) => {
    if (request.body === undefined) return;
    const finding = findCardData(request.body);
    if (finding) throw new CardDataRefusal(finding);
  });
}

function decodeUrl(url: string): string {
  try {
    return decodeURIComponent(url.replace(/\+/g, ' '));
  } catch {
    return url;
  }
}
