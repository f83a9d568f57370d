import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { describe, it, type TestContext } from 'node:test';
import { EventStream, type EventStreamOptions } from './event-stream.js';

/** A real HTTP server whose one route opens an EventStream; resolves with the server's URL. */
async function serve(
  t: TestContext,
  options: EventStreamOptions,
): Promise<{ url: string; port: number; opened: Promise<EventStream> }> {
  let open: (stream: EventStream) => void = () => undefined;
  const opened = new Promise<EventStream>((resolve) => (open = resolve));
  const server = createServer((_req, res: ServerResponse) => open(new EventStream(res, options)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, port, opened };
}

describe('event stream', () => {
  it('writes events and heartbeats in the SSE format, and tells when the client went', async (t) => {
    const { url, opened } = await serve(t, { heartbeatMs: 50, maxBufferedBytes: 1 << 20 });
    const abort = new AbortController();
    const response = await fetch(url, { signal: abort.signal });
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.equal(response.headers.get('cache-control'), 'no-cache, no-transform');
    const stream = await opened;
    const gone = new Promise<void>((resolve) => stream.onClose(resolve));
    stream.send({ id: 'b-1', event: 'cart', data: { deviceId: 'CART-1', note: 'a\nb' } });
    stream.send({ event: 'session', data: { sessionId: 's' } });
    const reader = response.body!.getReader();
    let text = '';
    while ((text.match(/: heartbeat/g) ?? []).length < 2) {
      text += new TextDecoder().decode((await reader.read()).value);
    }
    assert.ok(text.startsWith('retry: 3000\n: connected\n\n'));
    assert.ok(
      text.includes('id: b-1\nevent: cart\ndata: {"deviceId":"CART-1","note":"a\\nb"}\n\n'),
      'one data line, the newline escaped',
    );
    assert.ok(text.includes('\nevent: session\ndata: {"sessionId":"s"}\n\n'));
    assert.ok(!text.includes('id: \n'), 'no id line for an event without one');
    abort.abort();
    await gone;
    assert.equal(stream.closed, true);
  });

  it('drops a client that does not read instead of buffering for it without end', async (t) => {
    const limit = 64 * 1024;
    const { port, opened } = await serve(t, { heartbeatMs: 60_000, maxBufferedBytes: limit });
    const socket = connect(port, '127.0.0.1');
    t.after(() => socket.destroy());
    socket.write('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n');
    socket.pause(); // never reads: the kernel's buffers fill, then the response's own
    const stream = await opened;
    let dropped = false;
    stream.onClose(() => (dropped = true));
    const chunk = { text: 'x'.repeat(16 * 1024) };
    let sent = 0;
    // Far more than any loopback socket buffer holds; the stream must give up well before.
    while (!stream.closed && sent < 4096) {
      stream.send({ event: 'scan', data: chunk });
      sent++;
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal(dropped, true, `still open after ${sent} events of 16 KiB`);
    // The server cut the connection: reading what was in flight, the client reaches its end.
    const ended = new Promise((resolve) => socket.on('close', resolve));
    socket.resume();
    await ended;
  });
});
