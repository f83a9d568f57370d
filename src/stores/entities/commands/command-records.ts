/** Where a cloud-to-device command stands in the ledger. */
export type CommandStatus = 'pending' | 'succeeded' | 'failed' | 'rejected';

/**
 * One command as the ledger holds it. Its arguments are kept only for the commands the API may
 * send (none of them carries personal data); attach-customer never enters the ledger.
 */
export interface CommandRecord {
  readonly commandId: string;
  readonly deviceId: string;
  readonly name: string;
  readonly args: Readonly<Record<string, unknown>>;
  /** `role:subject` of whoever asked for it. */
  readonly requestedBy: string;
  readonly status: CommandStatus;
  /** The device's code (rejected/failed), or `timeout` when nobody answered in time. */
  readonly code: string | null;
  /** The device answered that it had run this id before (a re-delivery or a retry). */
  readonly duplicate: boolean;
  /** Deliveries so far: 1, plus one per retry. */
  readonly attempts: number;
  readonly createdAt: string;
  /** When the latest attempt was published. */
  readonly sentAt: string;
  readonly expiresAt: string;
  readonly respondedAt: string | null;
}

export interface NewCommand {
  readonly commandId: string;
  readonly deviceId: string;
  readonly name: string;
  readonly args: Readonly<Record<string, unknown>>;
  readonly requestedBy: string;
  /** ms since epoch */
  readonly sentAt: number;
  readonly expiresAt: number;
}

export interface CommandResponseRecord {
  readonly commandId: string;
  readonly deviceId: string;
  readonly status: Exclude<CommandStatus, 'pending'>;
  readonly code: string | null;
  readonly duplicate: boolean;
  /** When the platform received the answer (ms since epoch). */
  readonly at: number;
}

/**
 * `applied`: the answer settled the command (also one that had timed out: a late answer is the
 * truth about what the device did). `unchanged`: it was settled before (a re-projection or a
 * repeated answer). `unknown`: no such command for this device.
 */
export type ResponseOutcome =
  | { readonly outcome: 'applied'; readonly command: CommandRecord }
  | { readonly outcome: 'unchanged' | 'unknown' };

/** The command ledger half of the entity store. */
export interface CommandRecords {
  /** Records a sent command as pending; undefined when the device is unknown. */
  insertCommand(command: NewCommand): Promise<CommandRecord | undefined>;
  getCommand(commandId: string): Promise<CommandRecord | undefined>;
  /** The device's commands, newest first. */
  listDeviceCommands(deviceId: string, limit: number): Promise<CommandRecord[]>;
  recordCommandResponse(response: CommandResponseRecord): Promise<ResponseOutcome>;
  /**
   * The device's pending commands that expire after `now`, oldest first: what a device that lost
   * its broker session has not been given yet (decision 051).
   */
  listPendingCommands(deviceId: string, now: number, limit: number): Promise<CommandRecord[]>;
  /** Marks pending commands whose expiry is at or before `now` failed with code timeout. */
  expireCommands(now: number, limit: number): Promise<CommandRecord[]>;
  /**
   * A timed-out command made pending again for another delivery of the same id, attempts + 1;
   * undefined when it is not a timed-out command.
   */
  resendCommand(
    commandId: string,
    sentAt: number,
    expiresAt: number,
  ): Promise<CommandRecord | undefined>;
}
