// When to kill the platform: after a random number of acknowledged messages, drawn from a seeded
// generator so that a run that failed can be repeated with the seed its report names.

/** A small deterministic generator (mulberry32): uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * `kills` acknowledged-message counts in ascending order, each in its own equal slice of the
 * middle of the stream (10 %–90 % of `total`), so every kill lands mid-stream and no two coincide.
 */
export function killPoints(seed: number, kills: number, total: number): number[] {
  if (kills < 1 || total < kills * 10)
    throw new Error(`cannot place ${kills} kills in ${total} messages`);
  const random = seededRandom(seed);
  const from = 0.1 * total;
  const slice = (0.8 * total) / kills;
  return Array.from({ length: kills }, (_, k) => Math.floor(from + slice * (k + random())));
}
