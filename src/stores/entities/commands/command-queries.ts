import type { SqlClient } from '../sql/sql-client.js';
import { toIso, toIsoOrNull, toNumber, toStringOrNull } from '../sql/values.js';
import type {
  CommandRecord,
  CommandRecords,
  CommandResponseRecord,
  CommandStatus,
  NewCommand,
  ResponseOutcome,
} from './command-records.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const iso = (ms: number) => new Date(ms).toISOString();
const COLUMNS = `command_id, device_id, name, args, requested_by, status, code, duplicate,
  attempts, created_at, sent_at, expires_at, responded_at`;

/** CommandRecords over any SqlClient (PGlite or a PostgreSQL server). */
export class SqlCommandRecords implements CommandRecords {
  constructor(private readonly client: SqlClient) {}

  async insertCommand(command: NewCommand): Promise<CommandRecord | undefined> {
    const rows = await this.client.query(
      `INSERT INTO commands (command_id, device_id, name, args, requested_by, status,
         created_at, sent_at, expires_at)
       SELECT $1::uuid, device_id, $3, $4::jsonb, $5, 'pending', $6::timestamptz,
         $6::timestamptz, $7::timestamptz
       FROM devices WHERE device_id = $2
       RETURNING ${COLUMNS}`,
      [
        command.commandId,
        command.deviceId,
        command.name,
        JSON.stringify(command.args),
        command.requestedBy,
        iso(command.sentAt),
        iso(command.expiresAt),
      ],
    );
    return rows[0] === undefined ? undefined : toCommand(rows[0]);
  }

  async getCommand(commandId: string): Promise<CommandRecord | undefined> {
    if (!UUID.test(commandId)) return undefined;
    const rows = await this.client.query(
      `SELECT ${COLUMNS} FROM commands WHERE command_id = $1::uuid`,
      [commandId],
    );
    return rows[0] === undefined ? undefined : toCommand(rows[0]);
  }

  async listDeviceCommands(deviceId: string, limit: number): Promise<CommandRecord[]> {
    const rows = await this.client.query(
      `SELECT ${COLUMNS} FROM commands WHERE device_id = $1
       ORDER BY created_at DESC, command_id DESC LIMIT $2`,
      [deviceId, limit],
    );
    return rows.map(toCommand);
  }

  async listPendingCommands(
    deviceId: string,
    now: number,
    limit: number,
  ): Promise<CommandRecord[]> {
    const rows = await this.client.query(
      `SELECT ${COLUMNS} FROM commands
       WHERE device_id = $1 AND status = 'pending' AND expires_at > $2::timestamptz
       ORDER BY created_at, command_id LIMIT $3`,
      [deviceId, iso(now), limit],
    );
    return rows.map(toCommand);
  }

  /**
   * Settles a pending command, or one the sweep timed out (the device did answer, late: its
   * answer is what happened). A settled command keeps its first outcome, so projecting the same
   * answer again, or a duplicate answer after it, changes nothing.
   */
  async recordCommandResponse(response: CommandResponseRecord): Promise<ResponseOutcome> {
    if (!UUID.test(response.commandId)) return { outcome: 'unknown' };
    const rows = await this.client.query(
      `UPDATE commands SET status = $3, code = $4, duplicate = $5, responded_at = $6::timestamptz
       WHERE command_id = $1::uuid AND device_id = $2
         AND (status = 'pending' OR (status = 'failed' AND code = 'timeout'))
       RETURNING ${COLUMNS}`,
      [
        response.commandId,
        response.deviceId,
        response.status,
        response.code,
        response.duplicate,
        iso(response.at),
      ],
    );
    if (rows[0] !== undefined) return { outcome: 'applied', command: toCommand(rows[0]) };
    const known = await this.client.query(
      'SELECT 1 FROM commands WHERE command_id = $1::uuid AND device_id = $2',
      [response.commandId, response.deviceId],
    );
    return { outcome: known.length > 0 ? 'unchanged' : 'unknown' };
  }

  async expireCommands(now: number, limit: number): Promise<CommandRecord[]> {
    const rows = await this.client.query(
      `UPDATE commands SET status = 'failed', code = 'timeout'
       WHERE command_id IN (
         SELECT command_id FROM commands
         WHERE status = 'pending' AND expires_at <= $1::timestamptz
         ORDER BY expires_at LIMIT $2)
         AND status = 'pending'
       RETURNING ${COLUMNS}`,
      [iso(now), limit],
    );
    return rows.map(toCommand);
  }

  async resendCommand(
    commandId: string,
    sentAt: number,
    expiresAt: number,
  ): Promise<CommandRecord | undefined> {
    if (!UUID.test(commandId)) return undefined;
    const rows = await this.client.query(
      `UPDATE commands SET status = 'pending', code = NULL, duplicate = false,
         responded_at = NULL, attempts = attempts + 1, sent_at = $2::timestamptz,
         expires_at = $3::timestamptz
       WHERE command_id = $1::uuid AND status = 'failed' AND code = 'timeout'
       RETURNING ${COLUMNS}`,
      [commandId, iso(sentAt), iso(expiresAt)],
    );
    return rows[0] === undefined ? undefined : toCommand(rows[0]);
  }
}

function toCommand(row: Record<string, unknown>): CommandRecord {
  return {
    commandId: String(row['command_id']),
    deviceId: String(row['device_id']),
    name: String(row['name']),
    args: jsonObject(row['args']) ?? {},
    requestedBy: String(row['requested_by']),
    status: String(row['status']) as CommandStatus,
    code: toStringOrNull(row['code']),
    duplicate: row['duplicate'] === true,
    attempts: toNumber(row['attempts']),
    createdAt: toIso(row['created_at']),
    sentAt: toIso(row['sent_at']),
    expiresAt: toIso(row['expires_at']),
    respondedAt: toIsoOrNull(row['responded_at']),
  };
}

/** jsonb comes back parsed from both adapters; a string is parsed in case a driver does not. */
export function jsonObject(value: unknown): Record<string, unknown> | null {
  if (value === null || value === undefined) return null;
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : null;
}
