import type {
  LiveAudience,
  LiveEvent,
  LiveEventData,
  LiveEventKind,
  LivePublisher,
} from './live-events.js';

export interface LiveSubscription {
  close(): void;
}

interface Subscriber {
  readonly accept: (event: LiveEvent) => boolean;
  readonly deliver: (event: LiveEvent) => void;
}

/**
 * The in-process event bus behind GET /v1/stream: services publish, each open stream subscribes
 * with its filter. Delivery is synchronous and never blocks the publisher (a stream that cannot
 * keep up is dropped by its own writer). The last `replay` events are kept so a page that
 * reconnects with Last-Event-ID misses nothing that happened while it was away; ids carry this
 * process's start, so an id from before a restart replays nothing.
 */
export class LiveBus implements LivePublisher {
  readonly #subscribers = new Set<Subscriber>();
  readonly #recent: LiveEvent[] = [];
  readonly #replay: number;
  readonly #boot: string;
  #seq = 0;

  constructor(options: { readonly replay?: number; readonly now?: () => number } = {}) {
    this.#replay = options.replay ?? 1024;
    this.#boot = (options.now ?? Date.now)().toString(36);
  }

  get listening(): boolean {
    return this.#subscribers.size > 0;
  }

  get subscribers(): number {
    return this.#subscribers.size;
  }

  publish<K extends LiveEventKind>(kind: K, audience: LiveAudience, data: LiveEventData[K]): void {
    const event: LiveEvent = { id: `${this.#boot}-${++this.#seq}`, kind, audience, data };
    this.#recent.push(event);
    if (this.#recent.length > this.#replay) this.#recent.shift();
    for (const subscriber of this.#subscribers) this.#offer(subscriber, event);
  }

  /**
   * Delivers every later event `accept` takes, after first replaying the kept events that came
   * after `lastEventId` (when it names one of this process's kept events).
   */
  subscribe(
    accept: (event: LiveEvent) => boolean,
    deliver: (event: LiveEvent) => void,
    lastEventId?: string,
  ): LiveSubscription {
    const subscriber: Subscriber = { accept, deliver };
    for (const event of this.#after(lastEventId)) this.#offer(subscriber, event);
    this.#subscribers.add(subscriber);
    return { close: () => void this.#subscribers.delete(subscriber) };
  }

  #after(lastEventId: string | undefined): LiveEvent[] {
    if (lastEventId === undefined) return [];
    const [boot, seq] = lastEventId.split('-');
    const last = Number(seq);
    if (boot !== this.#boot || !Number.isSafeInteger(last)) return [];
    return this.#recent.filter((e) => Number(e.id.slice(this.#boot.length + 1)) > last);
  }

  #offer(subscriber: Subscriber, event: LiveEvent): void {
    try {
      if (subscriber.accept(event)) subscriber.deliver(event);
    } catch {
      // A subscriber whose filter or writer throws is gone; the others still get the event.
      this.#subscribers.delete(subscriber);
    }
  }
}
