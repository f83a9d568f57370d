import type { CommandRequest } from '../../contract/index.js';

type CommandName = CommandRequest['name'];
type CommandArgs = NonNullable<CommandRequest['args']>;

/**
 * What the ops API may send, and the arguments each takes. Transient actions only: state that
 * must survive a reconnect goes through the shadow. Session actions stay with the staff route
 * (they need a proximity proof); attach-customer stays with the session link (personal data).
 */
export const API_COMMANDS = [
  'ping',
  'reboot',
  'sleep',
  'wake',
  'sync-catalog',
  'trust-ca',
  'set-interval',
] as const;
export type ApiCommandName = (typeof API_COMMANDS)[number];

/** What the staff session actions send through the ledger (a session id, nothing personal). */
export const SESSION_COMMANDS = ['pause-session', 'cancel-session', 'restart-session'] as const;

/** Every name the ledger sends; attach-customer is never among them. */
export type LedgerCommandName = ApiCommandName | (typeof SESSION_COMMANDS)[number];

const ARGS: Record<
  LedgerCommandName,
  { required: (keyof CommandArgs)[]; optional: (keyof CommandArgs)[] }
> = {
  ping: { required: [], optional: [] },
  reboot: { required: [], optional: ['reason'] },
  sleep: { required: [], optional: [] },
  wake: { required: [], optional: [] },
  'sync-catalog': { required: [], optional: [] },
  'trust-ca': { required: ['ca_generation', 'ca_root_pem'], optional: [] },
  // A cold-chain sensor's reading interval (decision 042); a cart answers rejected/unsupported.
  'set-interval': { required: ['interval_s'], optional: [] },
  'pause-session': { required: ['session_id'], optional: [] },
  'cancel-session': { required: ['session_id'], optional: [] },
  'restart-session': { required: ['session_id'], optional: [] },
};

export function isApiCommand(name: string): name is ApiCommandName {
  return (API_COMMANDS as readonly string[]).includes(name);
}

export function isLedgerCommand(name: string): name is LedgerCommandName {
  return name in ARGS;
}

/**
 * Undefined when `args` has exactly what `name` takes; otherwise a sentence saying what is wrong.
 * The values themselves are checked against the contract when the request is built.
 */
export function argsProblem(
  name: LedgerCommandName,
  args: Record<string, unknown>,
): string | undefined {
  const spec = ARGS[name];
  const allowed = new Set<string>([...spec.required, ...spec.optional]);
  const extra = Object.keys(args).filter((k) => !allowed.has(k));
  if (extra.length > 0) {
    const takes = allowed.size > 0 ? `takes only ${[...allowed].join(', ')}` : 'takes no args';
    return `${name} ${takes} (not ${extra.join(', ')})`;
  }
  const missing = spec.required.filter((k) => args[k] === undefined);
  if (missing.length > 0) return `${name} needs args ${missing.join(', ')}`;
  return undefined;
}

export type { CommandName };
