import type { Boot, DeviceMessage, JobStatus } from '../../contract/index.js';
import type { BootOutcome } from '../firmware/boot-slots.js';
import type { CommandAnswer } from './command-book.js';

/**
 * What the firmware says, before it is stamped with the device id, counter and time and signed
 * (see Outbox). Builders here are pure and shared by every device class: the firmware gathers
 * the facts, they shape the body.
 */
export type MessageBody = { readonly type: DeviceMessage['type'] } & Record<string, unknown>;

export type ResetReason = Boot['reset_reason'];

/** What the bootloader came up with (BootOutcome), as any device's boot message reports it. */
export function bootMessage(
  booted: Pick<BootOutcome, 'slot' | 'version' | 'rolledBack' | 'previousVersion'>,
  resetReason: ResetReason,
  bootCount: number,
  caGenerations: readonly number[],
  hardwareRev: string,
): MessageBody {
  return {
    type: 'boot',
    firmware_version: booted.version,
    slot: booted.slot,
    rolled_back: booted.rolledBack,
    ...(booted.previousVersion !== undefined ? { previous_version: booted.previousVersion } : {}),
    reset_reason: resetReason,
    hardware_rev: hardwareRev,
    boot_count: bootCount,
    ca_generations: [...caGenerations],
  };
}

/** Progress of an OTA job, on jobs/<id>/status. */
export function jobStatusMessage(
  jobId: string,
  targetVersion: string,
  status: JobStatus['status'],
  reason?: string,
): MessageBody {
  return {
    type: 'job-status',
    job_id: jobId,
    target_version: targetVersion,
    status,
    ...(reason ? { reason } : {}),
  };
}

export function commandResponseMessage(commandId: string, answer: CommandAnswer): MessageBody {
  return {
    type: 'command-response',
    command_id: commandId,
    status: answer.status,
    duplicate: answer.duplicate,
    ...(answer.code ? { code: answer.code } : {}),
  };
}
