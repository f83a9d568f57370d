import { useEffect, useState } from 'preact/hooks';
import { ApiFailure, path } from '../api/client.js';
import { api } from '../api/platform.js';
import type { Command, Session } from '../api/types.js';
import { announce } from '../ui/announcer.js';
import { ErrorNote, InfoNote, OkNote } from '../ui/widgets.js';
import { ProofInput } from './proof-input.js';

const ACTIONS = [
  { value: 'pause', label: 'Pause the session' },
  { value: 'cancel', label: 'Cancel the session' },
  { value: 'restart', label: 'Restart the session' },
] as const;

const PROOF_HELP: Record<string, string> = {
  'proximity-required': 'Read the code the cart shows first.',
  'proximity-expired': 'That code has expired. Read the new one the cart shows.',
  'proximity-replayed': 'That code was already used. Read the new one the cart shows.',
  'proximity-wrong-cart': 'That code is from another cart. Stand at this cart and read its code.',
  'proximity-invalid': 'That is not a code this cart signed. Read it again.',
};

/**
 * Pause, cancel or restart at the cart: the cart's proximity proof (its screen's QR code) proves
 * the tablet is beside it, and the platform may ask for the person's passkey first (step-up).
 */
export function OverrideForm(props: {
  store: string;
  deviceId: string;
  session: Session;
  onSent: () => void;
}) {
  const [action, setAction] = useState<string>(
    props.session.status === 'paused' ? 'restart' : 'pause',
  );
  const [proof, setProof] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [sent, setSent] = useState<{ commandId: string; command: string }>();
  const [outcome, setOutcome] = useState<Command>();

  useEffect(() => {
    if (!sent) return;
    let stopped = false;
    let tries = 0;
    const poll = async () => {
      if (stopped || tries++ > 60) return;
      try {
        const command = await api.get<Command>(path`/v1/commands/${sent.commandId}`);
        setOutcome(command);
        if (command.status !== 'pending') {
          announce(`The cart answered: ${command.status}`);
          props.onSent();
          return;
        }
      } catch {
        // The ledger may not have it yet; ask again.
      }
      setTimeout(() => void poll(), 1000);
    };
    void poll();
    return () => {
      stopped = true;
    };
  }, [sent?.commandId]);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setSent(undefined);
    setOutcome(undefined);
    try {
      const answer = await api.post<{ commandId: string; command: string }>(
        path`/v1/stores/${props.store}/carts/${props.deviceId}/session-actions`,
        { action, session_id: props.session.sessionId, proof: proof.trim() },
      );
      setSent(answer);
      setProof('');
      announce(`${answer.command} sent to ${props.deviceId}`);
    } catch (failure) {
      setError(failure);
      if (failure instanceof ApiFailure && failure.code.startsWith('proximity-')) setProof('');
    } finally {
      setBusy(false);
    }
  }

  const help = error instanceof ApiFailure ? PROOF_HELP[error.code] : undefined;
  return (
    <form onSubmit={submit} aria-labelledby="override-title" data-testid="override">
      <h3 id="override-title">Help at the cart</h3>
      <fieldset>
        <legend>Action</legend>
        {ACTIONS.map((a) => (
          <label class="check" key={a.value}>
            <input
              type="radio"
              name="session-action"
              value={a.value}
              checked={action === a.value}
              onChange={() => setAction(a.value)}
            />
            {a.label}
          </label>
        ))}
      </fieldset>
      <ProofInput value={proof} onChange={setProof} />
      {error ? (
        <>
          <ErrorNote error={error} />
          {help ? <InfoNote>{help}</InfoNote> : null}
        </>
      ) : null}
      {sent ? (
        <OkNote>
          Sent {sent.command} to the cart.{' '}
          {!outcome || outcome.status === 'pending'
            ? 'Waiting for the cart to answer…'
            : `The cart answered: ${outcome.status}${outcome.code ? ` (${outcome.code})` : ''}.`}
        </OkNote>
      ) : null}
      <button type="submit" class="primary" disabled={busy || proof.trim() === ''}>
        Send to the cart
      </button>
      <p class="small muted">You may be asked to confirm with your passkey.</p>
    </form>
  );
}
