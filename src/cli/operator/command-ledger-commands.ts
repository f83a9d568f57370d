import { setTimeout as sleep } from 'node:timers/promises';
import { API_COMMANDS } from '../../domain/commands/command-names.js';
import { UsageError, requireString, type Command, type CommandIo } from '../command.js';
import {
  boundedInteger,
  cell,
  jsonObject,
  printFields,
  printJson,
  printTable,
  query,
  wantsJson,
} from './output.js';
import {
  TARGET_DETAILS,
  TARGET_OPTIONS,
  TARGET_USAGE,
  openTarget,
  type PlatformTarget,
} from './platform-target.js';
import { relativeTime } from './relative-time.js';

/** A command as the ledger answers it. */
interface CommandView {
  commandId: string;
  deviceId: string;
  name: string;
  args?: Record<string, unknown>;
  requestedBy?: string;
  status: 'pending' | 'succeeded' | 'failed' | 'rejected';
  code?: string | null;
  duplicate?: boolean;
  attempts: number;
  sentAt?: string;
  expiresAt: string;
  respondedAt?: string | null;
  responseMs?: number | null;
}

const MAX_TIMEOUT_S = 86_400;
const MAX_PAGE = 200;
const POLL_MS = 250;
/** How long past its expiry --wait keeps asking, for the ledger to mark the command timed out. */
const EXPIRY_GRACE_MS = 15_000;

const outcome = (c: CommandView) =>
  `${c.status}${c.code ? ` (${c.code})` : ''}${c.duplicate === true ? ', duplicate' : ''}`;

export function commandLedgerCommands(): Command[] {
  return [
    {
      path: ['commands', 'send'],
      summary: 'Send a device a command; --wait for its answer.',
      usage: `commands send --device ID --name NAME ${TARGET_USAGE} [--args JSON] [--timeout S] [--wait]`,
      details: [
        `NAME: ${API_COMMANDS.join(', ')}. --args: a JSON object, e.g. '{"reason": "ops"}'.`,
        `--timeout: seconds until the command expires (1 to ${MAX_TIMEOUT_S}, default 30).`,
        '--wait: wait for the outcome; exit 1 unless the device answers succeeded.',
        ...TARGET_DETAILS,
      ],
      options: {
        ...TARGET_OPTIONS,
        device: { type: 'string' },
        name: { type: 'string' },
        args: { type: 'string' },
        timeout: { type: 'string' },
        wait: { type: 'boolean' },
      },
      required: ['device', 'name'],
      async run(values, io) {
        const name = requireString(values, 'name');
        if (!(API_COMMANDS as readonly string[]).includes(name)) {
          throw new UsageError(`--name must be one of ${API_COMMANDS.join(', ')}`);
        }
        const args = jsonObject(values, 'args');
        const timeout = boundedInteger(values, 'timeout', MAX_TIMEOUT_S);
        const device = requireString(values, 'device');
        const target = await openTarget(values);
        const sent = (await target.request(
          'POST',
          `/v1/devices/${encodeURIComponent(device)}/commands`,
          {
            name,
            ...(args !== undefined ? { args } : {}),
            ...(timeout !== undefined ? { timeout_s: timeout } : {}),
          },
        )) as { commandId: string; expiresAt: string };
        if (values['wait'] !== true) {
          if (wantsJson(values)) return printJson(io, sent);
          io.out(
            `Sent ${name} to ${device}: command ${sent.commandId}, expires ${relativeTime(sent.expiresAt)}.`,
          );
          return;
        }
        const done = await settled(target, sent.commandId, Date.parse(sent.expiresAt));
        if (wantsJson(values)) printJson(io, done);
        else report(io, done);
        return done.status === 'succeeded' ? 0 : 1;
      },
    },
    {
      path: ['commands', 'list'],
      summary: "A device's commands, newest first, with outcome.",
      usage: `commands list --device ID ${TARGET_USAGE} [--limit N]`,
      details: [`--limit: how many (1 to ${MAX_PAGE}, default 50).`, ...TARGET_DETAILS],
      options: { ...TARGET_OPTIONS, device: { type: 'string' }, limit: { type: 'string' } },
      required: ['device'],
      async run(values, io) {
        const limit = boundedInteger(values, 'limit', MAX_PAGE);
        const device = requireString(values, 'device');
        const target = await openTarget(values);
        const body = (await target.request(
          'GET',
          `/v1/devices/${encodeURIComponent(device)}/commands${query({ limit })}`,
        )) as { commands: CommandView[] };
        if (wantsJson(values)) return printJson(io, body);
        printTable(
          io,
          [
            { header: 'COMMAND', min: 36 },
            { header: 'NAME' },
            { header: 'STATUS' },
            { header: 'SENT' },
            { header: 'ANSWER', align: 'right' },
          ],
          body.commands.map((c) => [
            c.commandId,
            c.name,
            outcome(c),
            relativeTime(c.sentAt),
            c.responseMs === null || c.responseMs === undefined ? '-' : `${c.responseMs}ms`,
          ]),
          `No commands sent to ${device} yet.`,
        );
      },
    },
    {
      path: ['commands', 'show'],
      summary: 'One command and how the device answered.',
      usage: `commands show ID ${TARGET_USAGE}`,
      details: TARGET_DETAILS,
      options: { ...TARGET_OPTIONS, id: { type: 'string' } },
      positional: 'id',
      required: ['id'],
      async run(values, io) {
        const target = await openTarget(values);
        const id = encodeURIComponent(requireString(values, 'id'));
        const command = (await target.request('GET', `/v1/commands/${id}`)) as CommandView;
        if (wantsJson(values)) return printJson(io, command);
        printFields(io, [
          ['Command', `${command.commandId} ${command.name} to ${command.deviceId}`],
          ['Args', cell(command.args ?? {})],
          ['Requested by', command.requestedBy ?? '-'],
          ['Status', `${outcome(command)} after ${command.attempts} attempt(s)`],
          ['Sent', `${relativeTime(command.sentAt)} (${command.sentAt ?? '-'})`],
          ['Expires', `${relativeTime(command.expiresAt)} (${command.expiresAt})`],
          ['Answered', command.respondedAt ? `${command.responseMs ?? '-'}ms after sending` : '-'],
        ]);
      },
    },
  ];
}

/** Asks the ledger until the command is no longer pending, or well past its expiry. */
async function settled(
  target: PlatformTarget,
  commandId: string,
  expiresAt: number,
): Promise<CommandView> {
  for (;;) {
    const command = (await target.request('GET', `/v1/commands/${commandId}`)) as CommandView;
    if (command.status !== 'pending' || Date.now() > expiresAt + EXPIRY_GRACE_MS) return command;
    await sleep(POLL_MS);
  }
}

function report(io: CommandIo, c: CommandView): void {
  const line = `${c.name} on ${c.deviceId} (command ${c.commandId}): ${outcome(c)}${c.responseMs === null || c.responseMs === undefined ? '' : `, answered in ${c.responseMs}ms`}.`;
  if (c.status === 'succeeded') io.out(line);
  else
    io.err(
      c.status === 'pending'
        ? `${line} No answer, and the ledger has not marked it timed out.`
        : line,
    );
}
