import { useState } from 'preact/hooks';
import { api, live } from '../api/platform.js';
import { download, ErrorNote, OkNote } from '../ui/widgets.js';

/** The shopper's own data-subject rights: take a copy, or delete the account. */
export function MyData() {
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<unknown>();
  const [exported, setExported] = useState(false);
  const [sure, setSure] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [deleteError, setDeleteError] = useState<unknown>();
  const [deleted, setDeleted] = useState(false);

  async function exportData() {
    setExporting(true);
    setExportError(undefined);
    try {
      const data = await api.post<unknown>('/v1/me/export', {});
      download(
        `fleetplane-my-data-${new Date().toISOString().slice(0, 10)}.json`,
        JSON.stringify(data, null, 2),
      );
      setExported(true);
    } catch (failure) {
      setExportError(failure);
    } finally {
      setExporting(false);
    }
  }

  async function deleteAccount(e: Event) {
    e.preventDefault();
    setDeleting(true);
    setDeleteError(undefined);
    try {
      await api.delete('/v1/me');
      setDeleted(true);
      live.close();
    } catch (failure) {
      setDeleteError(failure);
    } finally {
      setDeleting(false);
    }
  }

  if (deleted) {
    return (
      <section class="panel" aria-labelledby="deleted-title">
        <h2 id="deleted-title">Your account is deleted</h2>
        <OkNote>
          Your personal data can no longer be read by anyone. Receipts stay valid without your name
          on them.
        </OkNote>
        <a class="button" href="/signin">
          Close
        </a>
      </section>
    );
  }
  return (
    <>
      <section class="panel" aria-labelledby="export-title">
        <h2 id="export-title">Export my data</h2>
        <p>Everything the platform holds about you, as a JSON file.</p>
        <ErrorNote error={exportError} />
        {exported ? <OkNote>Your data was downloaded.</OkNote> : null}
        <button
          type="button"
          class="primary"
          disabled={exporting}
          onClick={() => void exportData()}
        >
          {exporting ? 'Preparing…' : 'Download my data'}
        </button>
      </section>
      <section class="panel" aria-labelledby="delete-title">
        <h2 id="delete-title">Delete my account</h2>
        <p>
          Your personal data becomes unreadable at once. This cannot be undone. You will confirm
          with your passkey.
        </p>
        <form onSubmit={deleteAccount}>
          <label class="check">
            <input
              type="checkbox"
              checked={sure}
              onChange={(e) => setSure((e.target as HTMLInputElement).checked)}
            />
            I understand my account cannot be restored
          </label>
          <ErrorNote error={deleteError} />
          <button type="submit" class="danger primary" disabled={!sure || deleting}>
            Delete my account
          </button>
        </form>
      </section>
    </>
  );
}
