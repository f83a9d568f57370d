import { useState } from 'preact/hooks';
import { path } from '../api/client.js';
import { api } from '../api/platform.js';
import { announce } from '../ui/announcer.js';
import { ErrorNote } from '../ui/widgets.js';
import { alarmActions, type Alarm } from './alarm-list.js';

const DONE = { acknowledge: 'acknowledged', resolve: 'resolved' } as const;

/** What was last done to an alarm from this page, for the note that confirms it. */
export interface AlarmDone {
  readonly alarm: Alarm;
  readonly action: keyof typeof DONE;
}

export function doneText({ alarm, action }: AlarmDone): string {
  const subject = alarm.deviceId ? ` on ${alarm.deviceId}` : '';
  const by = action === 'acknowledge' ? alarm.acknowledgedBy : alarm.resolvedBy;
  return `Alarm ${alarm.ruleId}${subject} ${DONE[action]}${by ? ` by ${by}` : ''}.`;
}

/**
 * Acknowledge and Resolve for one alarm, as far as its state allows. A 409 (someone else, or the
 * rule, changed it first) shows as an error and the list is read again.
 */
export function AlarmActions({
  alarm,
  onDone,
}: {
  alarm: Alarm;
  onDone: (done: AlarmDone | undefined) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const actions = alarmActions(alarm.state);
  if (actions.length === 0 && error === undefined) return null;

  async function act(action: keyof typeof DONE) {
    setBusy(true);
    setError(undefined);
    try {
      const changed = await api.post<Alarm>(path`/v1/alarms/${alarm.id}/${action}`, {});
      const done = { alarm: changed, action };
      announce(doneText(done));
      onDone(done);
    } catch (failure) {
      setError(failure);
      onDone(undefined);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div>
      <div class="row">
        {actions.map((action) => (
          <button
            key={action}
            type="button"
            class={action === 'acknowledge' ? 'primary' : undefined}
            disabled={busy}
            onClick={() => void act(action)}
          >
            {action === 'acknowledge' ? 'Acknowledge' : 'Resolve'}
          </button>
        ))}
      </div>
      <ErrorNote error={error} />
    </div>
  );
}
