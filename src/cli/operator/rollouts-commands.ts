import { requireString, type Command } from '../command.js';
import { printRolloutStatus, type RolloutStatusView } from '../ota/rollout-status-view.js';
import { printJson, printTable, wantsJson } from './output.js';
import { TARGET_DETAILS, TARGET_OPTIONS, TARGET_USAGE, openTarget } from './platform-target.js';
import { relativeTime } from './relative-time.js';
import { isFullId, pickByPrefix, shortId } from './short-ids.js';

const pct = (n: number) => `${n.toFixed(0)}%`;

export function rolloutsCommands(): Command[] {
  return [
    {
      path: ['rollouts', 'list'],
      summary: 'Firmware rollouts, newest first, with progress.',
      usage: `rollouts list ${TARGET_USAGE}`,
      details: [
        "Start, release and abort them with 'fleetplane ota rollout …'.",
        ...TARGET_DETAILS,
      ],
      options: TARGET_OPTIONS,
      async run(values, io) {
        const target = await openTarget(values);
        const body = (await target.request('GET', '/v1/ota/rollouts')) as {
          rollouts: RolloutStatusView[];
        };
        if (wantsJson(values)) return printJson(io, body);
        printTable(
          io,
          [
            { header: 'ROLLOUT' },
            { header: 'CLASS' },
            { header: 'VERSION' },
            { header: 'STATE' },
            { header: 'STAGE' },
            { header: 'SINCE' },
            { header: 'UPDATED', align: 'right' },
            { header: 'BACK', align: 'right' },
          ],
          body.rollouts.map((r) => [
            shortId(r.rolloutId),
            r.deviceClass,
            r.targetVersion,
            r.state,
            `${r.stage.index + 1}/${r.stages.length} ${r.stage.name}`,
            relativeTime(r.stage.startedAt),
            `${r.totals.onNewVersion}/${r.totals.devices}`,
            pct(r.totals.rolledBackPct),
          ]),
          "No rollouts yet; start one with 'fleetplane ota rollout create'.",
        );
      },
    },
    {
      path: ['rollouts', 'show'],
      summary: 'One rollout stage by stage, and why it halted.',
      usage: `rollouts show ID ${TARGET_USAGE}`,
      details: [
        "ID: the rollout's id, or its first characters as 'rollouts list' shows them.",
        ...TARGET_DETAILS,
      ],
      options: { ...TARGET_OPTIONS, id: { type: 'string' } },
      positional: 'id',
      required: ['id'],
      async run(values, io) {
        const target = await openTarget(values);
        const given = requireString(values, 'id');
        let status: RolloutStatusView;
        if (isFullId(given)) {
          status = (await target.request('GET', `/v1/ota/rollouts/${given}`)) as RolloutStatusView;
        } else {
          const list = (await target.request('GET', '/v1/ota/rollouts')) as {
            rollouts: RolloutStatusView[];
          };
          status = pickByPrefix(list.rollouts, (r) => r.rolloutId, given, 'rollout');
        }
        if (wantsJson(values)) return printJson(io, status);
        printRolloutStatus(io, status);
      },
    },
  ];
}
