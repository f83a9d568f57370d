import type { OutboundEvent } from './outbound-event.js';

/** What a sink said about one delivery: acknowledged, or why not (for the delivery log). */
export type SinkResult =
  | { readonly ok: true; readonly status: number | null }
  | { readonly ok: false; readonly status: number | null; readonly error: string };

/** Where an integration's events go. `deliver` resolves only once the far end acknowledged. */
export interface Sink {
  deliver(event: OutboundEvent): Promise<SinkResult>;
  close(): Promise<void>;
}
