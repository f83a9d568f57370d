import { useState } from 'preact/hooks';
import { path } from '../api/client.js';
import { api } from '../api/platform.js';
import { announce } from '../ui/announcer.js';
import { ErrorNote, OkNote } from '../ui/widgets.js';
import { readManifestFile, sha256Hex, type ManifestFile } from './manifest-file.js';

function list(text: string): string[] | undefined {
  const items = text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return items.length > 0 ? items : undefined;
}

function hours(text: string): number | undefined {
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) && n > 0 ? n : undefined;
}

/** Upload an image and its signed manifest (from `fleetplane ota build`), then start the rollout. */
export function NewRollout({ onCreated }: { onCreated: () => void }) {
  const [manifest, setManifest] = useState<ManifestFile>();
  const [image, setImage] = useState<{ bytes: ArrayBuffer; sha256: string; name: string }>();
  const [stores, setStores] = useState('');
  const [canarySize, setCanarySize] = useState('');
  const [canaryHours, setCanaryHours] = useState('');
  const [laterHours, setLaterHours] = useState('');
  const [step, setStep] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();

  async function pickManifest(file: File | undefined) {
    setError(undefined);
    setManifest(undefined);
    if (!file) return;
    const read = readManifestFile(await file.text());
    if (typeof read === 'string') setError(new Error(read));
    else setManifest(read);
  }

  async function pickImage(file: File | undefined) {
    setImage(undefined);
    if (!file) return;
    const bytes = await file.arrayBuffer();
    setImage({ bytes, sha256: await sha256Hex(bytes), name: file.name });
  }

  const mismatch = manifest?.sha256 && image && manifest.sha256 !== image.sha256;

  async function submit(e: Event) {
    e.preventDefault();
    if (!manifest || !image) return;
    setError(undefined);
    setDone(undefined);
    try {
      setStep('Uploading the image…');
      await api.put(path`/v1/ota/images/${image.sha256}`, image.bytes);
      setStep('Starting the rollout…');
      const storeIds = list(stores);
      const body = {
        manifest: { signed: manifest.signed, signature: manifest.signature },
        ...(storeIds ? { targets: { store_ids: storeIds } } : {}),
        ...(canarySize.trim() ? { canary_size: Number(canarySize) } : {}),
        ...(hours(canaryHours) !== undefined ? { canary_hours: hours(canaryHours) } : {}),
        ...(hours(laterHours) !== undefined ? { later_stage_hours: hours(laterHours) } : {}),
      };
      await api.post('/v1/ota/rollouts', body);
      const text = `Rollout of ${manifest.version ?? 'the new version'} started.`;
      setDone(text);
      announce(text);
      onCreated();
    } catch (failure) {
      setError(failure);
    } finally {
      setStep(undefined);
    }
  }

  return (
    <details class="panel">
      <summary>
        <strong>Start a rollout</strong>
      </summary>
      <form onSubmit={submit} data-testid="new-rollout">
        <p class="small muted">
          Build and sign with <code>fleetplane ota build</code>; upload its manifest file and the
          image here.
        </p>
        <div class="field">
          <label for="rollout-manifest">Signed manifest (.json)</label>
          <input
            id="rollout-manifest"
            type="file"
            accept=".json,application/json"
            onChange={(e) => void pickManifest((e.target as HTMLInputElement).files?.[0])}
          />
        </div>
        {manifest ? (
          <p class="small">
            {manifest.deviceClass ?? 'unknown class'} firmware{' '}
            <strong>{manifest.version ?? '?'}</strong>, image{' '}
            <code>{manifest.sha256?.slice(0, 16) ?? '?'}…</code>
          </p>
        ) : null}
        <div class="field">
          <label for="rollout-image">Firmware image</label>
          <input
            id="rollout-image"
            type="file"
            onChange={(e) => void pickImage((e.target as HTMLInputElement).files?.[0])}
          />
        </div>
        {mismatch ? (
          <p class="note error" role="alert">
            This image's SHA-256 is not the one the manifest names; pick the image built with it.
          </p>
        ) : null}
        <div class="filters">
          <div class="field">
            <label for="rollout-stores">
              Stores <span class="hint">Optional; separated by commas. Empty: every store.</span>
            </label>
            <input
              id="rollout-stores"
              value={stores}
              onInput={(e) => setStores((e.target as HTMLInputElement).value)}
            />
          </div>
          <div class="field">
            <label for="rollout-canary">
              Canary devices <span class="hint">Default 10</span>
            </label>
            <input
              id="rollout-canary"
              type="number"
              min={1}
              max={10000}
              value={canarySize}
              onInput={(e) => setCanarySize((e.target as HTMLInputElement).value)}
            />
          </div>
          <div class="field">
            <label for="rollout-canary-hours">
              Canary hours <span class="hint">Default 24</span>
            </label>
            <input
              id="rollout-canary-hours"
              type="number"
              min={0}
              step="any"
              value={canaryHours}
              onInput={(e) => setCanaryHours((e.target as HTMLInputElement).value)}
            />
          </div>
          <div class="field">
            <label for="rollout-later-hours">
              Hours per later stage <span class="hint">Default 24</span>
            </label>
            <input
              id="rollout-later-hours"
              type="number"
              min={0}
              step="any"
              value={laterHours}
              onInput={(e) => setLaterHours((e.target as HTMLInputElement).value)}
            />
          </div>
        </div>
        <ErrorNote error={error} />
        {step ? <p role="status">{step}</p> : null}
        {done ? <OkNote>{done}</OkNote> : null}
        <button
          type="submit"
          class="primary"
          disabled={!manifest || !image || !!mismatch || !!step}
        >
          Upload and start rollout
        </button>
      </form>
    </details>
  );
}
