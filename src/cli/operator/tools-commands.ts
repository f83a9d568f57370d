import type { JobSiteView, ToolView } from '../../domain/tools/tool-models.js';
import {
  UsageError,
  requireString,
  stringOption,
  type Command,
  type OptionValues,
} from '../command.js';
import { printFields, printJson, printTable, query, wantsJson } from './output.js';
import { TARGET_DETAILS, TARGET_OPTIONS, TARGET_USAGE, openTarget } from './platform-target.js';
import { relativeTime } from './relative-time.js';

const ID = /^[A-Za-z0-9._-]{1,64}$/;

function idOf(values: OptionValues, what: string): string {
  const id = requireString(values, 'id');
  if (!ID.test(id))
    throw new UsageError(`ID must be a ${what} id (1–64 of A-Z a-z 0-9 . _ -), got '${id}'`);
  return id;
}

const hours = (minutes: number) => `${(minutes / 60).toFixed(1)} h`;

function toolRows(tools: readonly ToolView[]): string[][] {
  return tools.map((t) => [
    t.deviceId,
    t.model,
    t.jobSiteId ?? '-',
    hours(t.usageMinutes),
    `${Math.round(t.serviceUsed * 100)} %`,
    t.maintenanceDue ? `due:${t.dueReasons.join('+')}` : 'ok',
    t.batteryPct === null ? '-' : `${t.batteryPct} %`,
    t.lastErrorCode ?? '-',
    relativeTime(t.lastReportAt),
  ]);
}

const TOOL_COLUMNS = [
  { header: 'TOOL', min: 10 },
  { header: 'MODEL', min: 8 },
  { header: 'SITE', min: 8 },
  { header: 'USAGE', align: 'right' as const },
  { header: 'USED', align: 'right' as const },
  { header: 'SERVICE', min: 7 },
  { header: 'BATT', align: 'right' as const },
  { header: 'ERROR' },
  { header: 'SEEN' },
];

/** Connected tools and job sites (decision 046), through the API of a running platform. */
export function toolsCommands(): Command[] {
  return [
    {
      path: ['tools', 'list'],
      summary: 'Connected tools with usage and maintenance due.',
      usage: `tools list [--job-site S] [--due] ${TARGET_USAGE}`,
      details: ['--due: only tools due for service.', ...TARGET_DETAILS],
      options: { ...TARGET_OPTIONS, 'job-site': { type: 'string' }, due: { type: 'boolean' } },
      async run(values, io) {
        const site = stringOption(values, 'job-site');
        if (site !== undefined && !ID.test(site))
          throw new UsageError(`--job-site must be a job site id, got '${site}'`);
        const due = values['due'] === true ? 'true' : undefined;
        const target = await openTarget(values);
        const { tools } = (await target.request(
          'GET',
          `/v1/tools${query({ job_site: site, due })}`,
        )) as {
          tools: ToolView[];
        };
        if (wantsJson(values)) return printJson(io, { tools });
        printTable(
          io,
          TOOL_COLUMNS,
          toolRows(tools),
          due ? 'No tool is due for service.' : 'No tools.',
        );
      },
    },
    {
      path: ['tools', 'show'],
      summary: 'One tool: usage, service interval, maintenance due, service history.',
      usage: `tools show ID ${TARGET_USAGE}`,
      details: TARGET_DETAILS,
      options: { ...TARGET_OPTIONS, id: { type: 'string' } },
      positional: 'id',
      required: ['id'],
      async run(values, io) {
        const id = idOf(values, 'tool');
        const target = await openTarget(values);
        const body = (await target.request('GET', `/v1/tools/${id}`)) as {
          tool: ToolView;
          services: {
            servicedAt: string;
            servicedBy: string;
            note: string | null;
            usageMinutes: number;
          }[];
        };
        if (wantsJson(values)) return printJson(io, body);
        const t = body.tool;
        printFields(io, [
          ['Tool', `${t.deviceId} (model ${t.model})`],
          ['Job site', t.jobSiteId ?? '-'],
          ['Usage', `${hours(t.usageMinutes)}, ${t.cycles} cycles, ${t.reports} reports`],
          [
            'Since service',
            `${hours(t.minutesSinceService)} of ${hours(t.interval.usageMinutes)}, ${t.cyclesSinceService} of ${t.interval.cycles} cycles`,
          ],
          ['Maintenance', t.maintenanceDue ? `DUE (${t.dueReasons.join(', ')})` : 'ok'],
          ['Battery', t.batteryPct === null ? '-' : `${t.batteryPct} %`],
          [
            'Errors',
            t.errors === 0
              ? 'none'
              : `${t.errors}, last ${t.lastErrorCode ?? '-'} at ${t.lastErrorAt ?? '-'}`,
          ],
          ['Last report', t.lastReportAt ?? '-'],
        ]);
        io.out('');
        printTable(
          io,
          [{ header: 'SERVICED' }, { header: 'BY' }, { header: 'USAGE RESET' }, { header: 'NOTE' }],
          body.services.map((s) => [
            s.servicedAt,
            s.servicedBy,
            hours(s.usageMinutes),
            s.note ?? '-',
          ]),
          'Never serviced.',
        );
      },
    },
    {
      path: ['tools', 'service'],
      summary: 'Record a service: resets the usage since service (audited).',
      usage: `tools service ID [--note TEXT] ${TARGET_USAGE}`,
      details: TARGET_DETAILS,
      options: { ...TARGET_OPTIONS, id: { type: 'string' }, note: { type: 'string' } },
      positional: 'id',
      required: ['id'],
      async run(values, io) {
        const id = idOf(values, 'tool');
        const note = stringOption(values, 'note');
        const target = await openTarget(values);
        const done = (await target.request(
          'POST',
          `/v1/tools/${id}/service`,
          note ? { note } : {},
        )) as {
          tool: ToolView;
          service: { usageMinutes: number; cycles: number; servicedBy: string };
        };
        if (wantsJson(values)) return printJson(io, done);
        io.out(
          `Serviced ${id} (by ${done.service.servicedBy}): reset ${hours(done.service.usageMinutes)} and ${done.service.cycles} cycles since the last service.`,
        );
      },
    },
    {
      path: ['job-sites', 'list'],
      summary: 'Job sites: tools there, due for service, with errors, lowest battery.',
      usage: `job-sites list ${TARGET_USAGE}`,
      details: TARGET_DETAILS,
      options: { ...TARGET_OPTIONS },
      async run(values, io) {
        const target = await openTarget(values);
        const { jobSites } = (await target.request('GET', '/v1/job-sites')) as {
          jobSites: JobSiteView[];
        };
        if (wantsJson(values)) return printJson(io, { jobSites });
        printTable(
          io,
          [
            { header: 'SITE' },
            { header: 'TOOLS' },
            { header: 'DUE' },
            { header: 'WITH ERRORS' },
            { header: 'USAGE' },
            { header: 'LOWEST BATTERY' },
          ],
          jobSites.map((s) => [
            s.jobSiteId,
            String(s.tools),
            String(s.maintenanceDue),
            String(s.withErrors),
            hours(s.usageMinutes),
            s.lowestBatteryPct === null ? '-' : `${s.lowestBatteryPct} %`,
          ]),
          'No job sites (assign a tool with POST /v1/tools/{id}/assign).',
        );
      },
    },
    {
      path: ['job-sites', 'show'],
      summary: "A job site's tools with usage, maintenance due, battery and errors.",
      usage: `job-sites show ID ${TARGET_USAGE}`,
      details: TARGET_DETAILS,
      options: { ...TARGET_OPTIONS, id: { type: 'string' } },
      positional: 'id',
      required: ['id'],
      async run(values, io) {
        const id = idOf(values, 'job site');
        const target = await openTarget(values);
        const body = (await target.request('GET', `/v1/job-sites/${id}/tools`)) as {
          jobSite: JobSiteView;
          tools: ToolView[];
        };
        if (wantsJson(values)) return printJson(io, body);
        const s = body.jobSite;
        io.out(
          `Job site ${s.jobSiteId}: ${s.tools} tools, ${s.maintenanceDue} due for service, ${s.withErrors} with errors.`,
        );
        printTable(io, TOOL_COLUMNS, toolRows(body.tools), 'No tools.');
      },
    },
  ];
}
