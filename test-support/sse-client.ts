// A server-sent event client for tests: opens GET /v1/stream (or any path) with a bearer token,
// parses what arrives into events, and keeps the raw text (comments included) for heartbeats.
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { RunningPlatform } from '../src/platform/platform.js';
import { platformFetch } from './api-client.js';

export interface SseEvent {
  readonly id: string | undefined;
  readonly event: string;
  readonly data: Record<string, unknown>;
  /** When it arrived (Date.now()). */
  readonly at: number;
}

export interface SseClient {
  readonly status: number;
  readonly contentType: string | null;
  readonly events: SseEvent[];
  /** Everything received so far, as text. */
  raw(): string;
  /** The first event (from `from` on) that `match` takes, or a failure after `timeoutMs`. */
  waitFor(
    match: (e: SseEvent) => boolean,
    what: string,
    timeoutMs?: number,
    from?: number,
  ): Promise<SseEvent>;
  /** Resolves when the server ends the stream. */
  readonly ended: Promise<void>;
  close(): void;
}

export async function openStream(
  t: TestContext,
  platform: RunningPlatform,
  path: string,
  /** A bearer token; undefined when `headers` carry the credential (a console session cookie). */
  token: string | undefined,
  headers: Record<string, string> = {},
): Promise<SseClient> {
  const abort = new AbortController();
  const response = await platformFetch(platform)(`${platform.apiUrl}${path}`, {
    headers: {
      ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}),
      accept: 'text/event-stream',
      ...headers,
    },
    signal: abort.signal,
  });
  t.after(() => abort.abort());
  const events: SseEvent[] = [];
  let text = '';
  let pending = '';
  const waiters = new Set<() => void>();
  const parse = (block: string) => {
    let id: string | undefined;
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('id: ')) id = line.slice(4);
      else if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (data.length === 0) return;
    events.push({
      id,
      event,
      data: JSON.parse(data.join('\n')) as Record<string, unknown>,
      at: Date.now(),
    });
  };
  const ended = (async () => {
    if (!response.body || response.status !== 200) return;
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        const piece = decoder.decode(chunk, { stream: true });
        text += piece;
        pending += piece;
        let cut: number;
        while ((cut = pending.indexOf('\n\n')) >= 0) {
          parse(pending.slice(0, cut));
          pending = pending.slice(cut + 2);
        }
        for (const wake of waiters) wake();
      }
    } catch {
      // Aborted by the test, or cut off by the server.
    }
  })();
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    events,
    raw: () => text,
    ended,
    close: () => abort.abort(),
    async waitFor(match, what, timeoutMs = 10_000, from = 0) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = events.slice(from).find(match);
        if (found) return found;
        const left = deadline - Date.now();
        if (left <= 0) assert.fail(`timed out waiting for ${what}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, Math.min(left, 100));
          function done() {
            clearTimeout(timer);
            waiters.delete(done);
            resolve();
          }
          waiters.add(done);
        });
      }
    },
  };
}
