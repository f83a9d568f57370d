// Reads a store until what it holds stops changing: what the platform acknowledged may still be
// on its way through a worker thread or a projection when the load ends.

/** Polls `read` until `size` of two reads `quietMs` apart agree, or `timeoutMs` passes. */
export async function settle<T>(
  read: () => Promise<T>,
  size: (value: T) => number,
  { quietMs = 500, timeoutMs = 30_000 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  for (;;) {
    await new Promise((r) => setTimeout(r, quietMs));
    const next = await read();
    if (size(next) === size(last) || Date.now() > deadline) return next;
    last = next;
  }
}
