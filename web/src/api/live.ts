/** The event types of GET /v1/stream (decisions 023 and 039). */
export const LIVE_TYPES = [
  'session',
  'scan',
  'cart',
  'alert',
  'rollout',
  'dead-letter',
  'alarm',
] as const;
export type LiveType = (typeof LIVE_TYPES)[number];
export type LiveEvent = Record<string, unknown>;
export type LiveState = 'connecting' | 'open' | 'closed';

/** What the stream needs of an EventSource (a fake one in tests). */
export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((event: Event) => void) | null;
  onerror: ((event: Event) => void) | null;
  addEventListener(type: string, listener: (event: MessageEvent) => void): void;
  close(): void;
}

const CLOSED = 2;

/**
 * One EventSource shared by the page, opened by the first subscriber. The browser reconnects by
 * itself; a stream the server closed for good (the session ended) is reported as closed.
 */
export class LiveStream {
  #source: EventSourceLike | undefined;
  #state: LiveState = 'connecting';
  readonly #listeners = new Map<LiveType, Set<(event: LiveEvent) => void>>();
  readonly #stateListeners = new Set<(state: LiveState) => void>();

  constructor(private readonly open: () => EventSourceLike) {}

  get state(): LiveState {
    return this.#state;
  }

  subscribe(type: LiveType, listener: (event: LiveEvent) => void): () => void {
    this.#connect();
    let set = this.#listeners.get(type);
    if (!set) {
      set = new Set();
      this.#listeners.set(type, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  onState(listener: (state: LiveState) => void): () => void {
    this.#stateListeners.add(listener);
    listener(this.#state);
    return () => this.#stateListeners.delete(listener);
  }

  close(): void {
    this.#source?.close();
    this.#source = undefined;
    this.#set('closed');
  }

  #connect(): void {
    if (this.#source) return;
    const source = this.open();
    this.#source = source;
    source.onopen = () => this.#set('open');
    source.onerror = () => this.#set(source.readyState === CLOSED ? 'closed' : 'connecting');
    for (const type of LIVE_TYPES) {
      source.addEventListener(type, (message) => {
        let data: LiveEvent = {};
        try {
          const parsed: unknown = JSON.parse(String(message.data));
          if (typeof parsed === 'object' && parsed !== null) data = parsed as LiveEvent;
        } catch {
          // An event without a JSON body still says "something of this type changed".
        }
        for (const listener of this.#listeners.get(type) ?? []) listener(data);
      });
    }
  }

  #set(state: LiveState): void {
    if (state === this.#state) return;
    this.#state = state;
    for (const listener of this.#stateListeners) listener(state);
  }
}

/** True when an event names this value under any of the given keys (camelCase or snake_case). */
export function mentions(
  event: LiveEvent,
  value: string | null | undefined,
  ...keys: string[]
): boolean {
  if (!value) return false;
  for (const key of keys) {
    if (event[key] === value) return true;
    const nested = [
      event['session'],
      event['cart'],
      event['alert'],
      event['rollout'],
      event['alarm'],
    ];
    for (const inner of nested) {
      if (typeof inner === 'object' && inner !== null && (inner as LiveEvent)[key] === value) {
        return true;
      }
    }
  }
  return false;
}
