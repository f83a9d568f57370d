import { SCHEMA_VERSION, validateDocument, type CommandRequest } from '../../contract/index.js';

/** The contract document for one delivery of a ledger command; a reason when the contract refuses it. */
export function commandRequest(
  fields: {
    readonly deviceId: string;
    readonly commandId: string;
    readonly name: string;
    readonly args: Readonly<Record<string, unknown>>;
  },
  now: number,
  expiresAt: number,
): { ok: true; request: CommandRequest } | { ok: false; detail: string } {
  const document = {
    schema_version: SCHEMA_VERSION,
    device_id: fields.deviceId,
    type: 'command',
    ts: new Date(now).toISOString(),
    command_id: fields.commandId,
    name: fields.name,
    expires_at: new Date(expiresAt).toISOString(),
    ...(Object.keys(fields.args).length > 0 ? { args: fields.args } : {}),
  };
  const checked = validateDocument<CommandRequest>('command', document);
  return checked.ok ? { ok: true, request: checked.value } : { ok: false, detail: checked.detail };
}
