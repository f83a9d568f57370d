import { ALARM_STATES, type AlarmView } from '../../stores/entities/alarms/alarm-records.js';
import { UsageError, requireString, stringOption, type Command } from '../command.js';
import { boundedInteger, printJson, printTable, query, wantsJson } from './output.js';
import { TARGET_DETAILS, TARGET_OPTIONS, TARGET_USAGE, openTarget } from './platform-target.js';
import { relativeTime } from './relative-time.js';
import { isFullId, KEY, pickByPrefix, shortId } from './short-ids.js';

const MAX_PAGE = 500;

/** What rules raised (decision 035, 040): list them, and say someone is on one or it is over. */
export function alarmsCommands(): Command[] {
  return [
    {
      path: ['alarms', 'list'],
      summary: 'Alarms raised by the rules, most recently seen first.',
      usage: `alarms list ${TARGET_USAGE} [--state ${ALARM_STATES.join('|')}] [--store STORE] [--limit N]`,
      details: [
        "--store: one store's alarms ('*' for those about the whole fleet). --limit: how many",
        `(1 to ${MAX_PAGE}, default 50). READING: the values that crossed, as last seen.`,
        ...TARGET_DETAILS,
      ],
      options: {
        ...TARGET_OPTIONS,
        state: { type: 'string' },
        store: { type: 'string' },
        limit: { type: 'string' },
      },
      async run(values, io) {
        const state = stringOption(values, 'state');
        if (state !== undefined && !(ALARM_STATES as readonly string[]).includes(state)) {
          throw new UsageError(`--state must be one of ${ALARM_STATES.join(', ')}`);
        }
        const store = stringOption(values, 'store');
        const limit = boundedInteger(values, 'limit', MAX_PAGE);
        const target = await openTarget(values);
        const { alarms } = (await target.request(
          'GET',
          `/v1/alarms${query({ state, store, limit })}`,
        )) as { alarms: AlarmView[] };
        if (wantsJson(values)) return printJson(io, { alarms });
        printTable(
          io,
          [
            { header: 'ID', min: KEY },
            { header: 'STATE' },
            { header: 'SEVERITY' },
            { header: 'RULE' },
            { header: 'STORE' },
            { header: 'DEVICE' },
            { header: 'SINCE' },
            { header: 'READING' },
          ],
          alarms.map((a) => [
            shortId(a.id),
            a.state,
            a.severity,
            a.ruleId,
            a.storeId,
            a.deviceId ?? '-',
            relativeTime(a.firstAt),
            Object.entries(a.reading)
              .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
              .join(' '),
          ]),
          state === undefined ? 'No alarms.' : `No ${state} alarms.`,
        );
      },
    },
    transition('ack', 'acknowledge', 'Acknowledge an alarm: someone is on it.'),
    transition('resolve', 'resolve', 'Resolve an alarm by hand; the rule may raise a new one.'),
  ];
}

function transition(word: string, action: 'acknowledge' | 'resolve', summary: string): Command {
  return {
    path: ['alarms', word],
    summary,
    usage: `alarms ${word} ID ${TARGET_USAGE}`,
    details: [
      "ID: the alarm's id, or its first characters as 'alarms list' shows them (the open",
      'alarms are searched for it). Kept in the alarm history with who and when.',
      ...TARGET_DETAILS,
    ],
    options: { ...TARGET_OPTIONS, id: { type: 'string' } },
    positional: 'id',
    required: ['id'],
    async run(values, io) {
      const given = requireString(values, 'id');
      const target = await openTarget(values);
      let id = given;
      if (!isFullId(given)) {
        const open: AlarmView[] = [];
        for (const state of ['firing', 'acknowledged'] as const) {
          const page = (await target.request(
            'GET',
            `/v1/alarms${query({ state, limit: MAX_PAGE })}`,
          )) as { alarms: AlarmView[] };
          open.push(...page.alarms);
        }
        id = pickByPrefix(open, (a) => a.id, given, 'open alarm').id;
      }
      const done = (await target.request(
        'POST',
        `/v1/alarms/${encodeURIComponent(id)}/${action}`,
      )) as AlarmView;
      if (wantsJson(values)) return printJson(io, done);
      const subject = done.deviceId ?? (done.storeId === '*' ? 'the fleet' : done.storeId);
      io.out(
        `Alarm ${shortId(done.id)} (${done.ruleId} on ${subject}) is ${done.state}, by ${done.resolvedBy ?? done.acknowledgedBy ?? '-'}.`,
      );
    },
  };
}
