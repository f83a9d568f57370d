import type { Command } from '../command.js';
import type { MaskCommandDeps } from './mask-commands.js';
import { dataDirOf } from './options.js';

/** Salt status and manual rotation; scheduled rotation happens by itself at each quarter. */
export function saltCommands(deps: MaskCommandDeps): Command[] {
  return [
    {
      path: ['mask', 'salt', 'status'],
      summary:
        'Show the hashing salts: which is current, which previous ones are usable until when.',
      usage: 'mask salt status [--data DIR]',
      options: { data: { type: 'string' } },
      async run(values, io) {
        const dir = dataDirOf(values);
        const status = await deps.keys(dir).saltStatus();
        io.out(
          `Salts in ${dir}/keys (rotate quarterly; a previous salt is usable 30 days after rotation)`,
        );
        for (const s of status) {
          const when =
            s.state === 'current'
              ? 'current'
              : `${s.state === 'previous' ? 'usable until' : 'refused since'} ${s.usableUntil.toISOString()}`;
          io.out(
            `  ${s.id.padEnd(10)} ${s.quarter}  active from ${s.activeFrom.toISOString()}  ${when}`,
          );
        }
      },
    },
    {
      path: ['mask', 'salt', 'rotate'],
      summary:
        'Rotate the hashing salt now (e.g. a suspected leak); the previous one gets 30 days.',
      usage: 'mask salt rotate [--data DIR]',
      options: { data: { type: 'string' } },
      async run(values, io) {
        const salt = await deps.keys(dataDirOf(values)).rotateSalt();
        io.out(
          `Rotated: salt ${salt.id} is current from ${salt.activeFrom.toISOString()}; the previous salt stays usable for 30 days.`,
        );
      },
    },
  ];
}
