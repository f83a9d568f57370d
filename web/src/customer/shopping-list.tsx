import { useEffect, useState } from 'preact/hooks';
import { path } from '../api/client.js';
import { api } from '../api/platform.js';
import { readStores } from '../api/types.js';
import { useAsync } from '../ui/use-async.js';
import { ErrorNote, OkNote } from '../ui/widgets.js';

const SKU = /^[A-Za-z0-9._-]{1,40}$/;

/** The pre-shop list for a store: the cart highlights these items as they are scanned. */
export function ShoppingList({
  knownStores,
  defaultStore,
}: {
  knownStores: string[];
  defaultStore: string | null;
}) {
  const listed = useAsync(
    () =>
      api
        .get<unknown>('/v1/stores')
        .then(readStores)
        .catch(() => []),
    [],
  );
  const stores = [...new Set([...knownStores, ...(listed.data ?? []).map((s) => s.storeId)])];
  const [store, setStore] = useState(defaultStore ?? '');
  useEffect(() => {
    if (!store && stores[0]) setStore(stores[0]);
  }, [stores.join(',')]);
  const list = useAsync(
    () =>
      store
        ? api.get<{ skus: string[] }>(path`/v1/me/lists/${store}`).then((b) => b.skus)
        : Promise.resolve([]),
    [store],
  );
  const [items, setItems] = useState<string[]>([]);
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  useEffect(() => setItems(list.data ?? []), [list.data]);
  // The saved list replaces what is shown when it arrives: editing before then would be lost.
  const ready = store !== '' && !list.loading;

  function add(e: Event) {
    e.preventDefault();
    if (!ready) return;
    const sku = draft.trim();
    if (!SKU.test(sku)) {
      setError(new Error('an item code is 1 to 40 letters, digits, dots, dashes or underscores'));
      return;
    }
    setError(undefined);
    if (!items.includes(sku)) setItems([...items, sku]);
    setDraft('');
    setSaved(false);
  }

  async function save() {
    setError(undefined);
    try {
      await api.put(path`/v1/me/lists/${store}`, { skus: items });
      setSaved(true);
    } catch (failure) {
      setError(failure);
    }
  }

  return (
    <section class="panel" aria-labelledby="list-title">
      <h2 id="list-title">Shopping list</h2>
      <div class="field">
        <label for="list-store">Store</label>
        {stores.length > 0 ? (
          <select
            id="list-store"
            value={store}
            onChange={(e) => setStore((e.target as HTMLSelectElement).value)}
          >
            {stores.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        ) : (
          <input
            id="list-store"
            value={store}
            onChange={(e) => setStore((e.target as HTMLInputElement).value.trim())}
            placeholder="store-1"
          />
        )}
      </div>
      <ErrorNote error={list.error ?? error} />
      {items.length === 0 ? (
        <p class="muted">Nothing on the list yet.</p>
      ) : (
        <ul class="plain" data-testid="shopping-list">
          {items.map((sku) => (
            <li key={sku} class="spread">
              <span>{sku}</span>
              <button
                type="button"
                aria-label={`Remove ${sku}`}
                onClick={() => (setItems(items.filter((i) => i !== sku)), setSaved(false))}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form class="row" onSubmit={add} style={{ marginTop: '0.75rem' }}>
        <div class="field" style={{ flex: '1 1 160px', marginBottom: 0 }}>
          <label for="list-add">Item code</label>
          <input
            id="list-add"
            value={draft}
            autocomplete="off"
            onInput={(e) => setDraft((e.target as HTMLInputElement).value)}
          />
        </div>
        <button type="submit" disabled={!ready}>
          Add
        </button>
      </form>
      <div class="row" style={{ marginTop: '0.75rem' }}>
        <button type="button" class="primary" disabled={!ready} onClick={() => void save()}>
          Save list
        </button>
        {saved ? <OkNote>List saved.</OkNote> : null}
      </div>
    </section>
  );
}
