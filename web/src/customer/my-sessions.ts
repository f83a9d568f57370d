import { api } from '../api/platform.js';

/** A session as GET /v1/me/sessions lists it (snake_case, as the customer routes answer). */
export interface MySession {
  readonly receipt_id: string | null;
  readonly session_id: string;
  readonly store_id: string;
  readonly status: string;
  readonly started_at: string;
  readonly ended_at: string | null;
  readonly item_count: number | null;
  readonly total_cents: number | null;
  readonly currency: string | null;
  readonly paid: boolean;
}

export function mySessions(): Promise<MySession[]> {
  return api.get<{ sessions: MySession[] }>('/v1/me/sessions').then((b) => b.sessions);
}

export const IN_PROGRESS = new Set(['active', 'paused']);
