import { useState } from 'preact/hooks';
import { api } from '../api/platform.js';
import { readStores } from '../api/types.js';
import { useAsync } from '../ui/use-async.js';
import { ErrorNote, OkNote } from '../ui/widgets.js';

/** The sign-in link an invitation answers with, whatever the field is called. */
export function invitationLink(answer: unknown): string | null {
  const body = (answer ?? {}) as Record<string, unknown>;
  for (const key of ['link', 'url', 'signinUrl', 'signin_url']) {
    const value = body[key];
    if (typeof value === 'string' && value !== '') {
      // A bare token or fragment becomes a full address on this console.
      if (/^https?:\/\//.test(value)) return value;
      if (value.startsWith('/')) return `${location.origin}${value}`;
      return `${location.origin}/signin#link=${value}`;
    }
  }
  return null;
}

/** Ops invite store staff: a one-time link, bound to one store, to hand to the person. */
export function InviteStaff() {
  const stores = useAsync(() => api.get<unknown>('/v1/stores').then(readStores), []);
  const [store, setStore] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>();
  const [link, setLink] = useState<string>();
  const [copied, setCopied] = useState(false);

  async function invite(e: Event) {
    e.preventDefault();
    setError(undefined);
    setLink(undefined);
    setCopied(false);
    try {
      const answer = await api.post<unknown>('/v1/auth/invitations', {
        role: 'staff',
        store,
        ...(name.trim() ? { name: name.trim() } : {}),
      });
      const url = invitationLink(answer);
      if (!url) throw new Error('the platform answered without a link');
      setLink(url);
    } catch (failure) {
      setError(failure);
    }
  }

  return (
    <section class="panel" aria-labelledby="invite-title">
      <h2 id="invite-title">Invite store staff</h2>
      <p>
        The link works once, for 15 minutes: the person opens it on their tablet and creates a
        passkey there.
      </p>
      <form onSubmit={invite}>
        <div class="field">
          <label for="invite-store">Store</label>
          <select
            id="invite-store"
            required
            value={store}
            onChange={(e) => setStore((e.target as HTMLSelectElement).value)}
          >
            <option value="">Choose a store</option>
            {(stores.data ?? []).map((s) => (
              <option key={s.storeId} value={s.storeId}>
                {s.name ? `${s.name} (${s.storeId})` : s.storeId}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="invite-name">
            Name{' '}
            <span class="hint">How the console greets them and the audit trail names them.</span>
          </label>
          <input
            id="invite-name"
            value={name}
            maxLength={80}
            autocomplete="off"
            onInput={(e) => setName((e.target as HTMLInputElement).value)}
          />
        </div>
        <ErrorNote error={error ?? stores.error} />
        <button type="submit" class="primary" disabled={!store}>
          Create invitation link
        </button>
      </form>
      {link ? (
        <OkNote>
          <label for="invite-link">Invitation link for {store}</label>
          <input
            id="invite-link"
            readOnly
            value={link}
            class="mono"
            onFocus={(e) => (e.target as HTMLInputElement).select()}
          />
          <div class="row" style={{ marginTop: '0.5rem' }}>
            <button
              type="button"
              onClick={() => {
                void navigator.clipboard?.writeText(link).then(() => setCopied(true));
              }}
            >
              Copy link
            </button>
            {copied ? <span role="status">Copied.</span> : null}
          </div>
        </OkNote>
      ) : null}
    </section>
  );
}
