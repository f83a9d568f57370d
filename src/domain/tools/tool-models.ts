import type { ToolRecord } from '../../stores/entities/tools/tool-records.js';

/** When a tool of a model is due for service: whichever of its limits comes first. */
export interface ServiceInterval {
  readonly usageMinutes: number;
  readonly cycles: number;
}

/**
 * Service intervals per tool model, as data (decision 046). `standard` is every tool until an
 * operator assigns another model. The figures follow common maker guidance for brushless
 * drill-drivers (carbon-free motors, gearbox and clutch checked every ~100 hours of run time)
 * and for hammers (half that: impact wear).
 */
export const TOOL_MODELS: Readonly<Record<string, ServiceInterval>> = {
  standard: { usageMinutes: 100 * 60, cycles: 50_000 },
  heavy: { usageMinutes: 50 * 60, cycles: 20_000 },
  precision: { usageMinutes: 200 * 60, cycles: 100_000 },
};

export type DueReason = 'usage' | 'cycles';

export interface ToolView extends ToolRecord {
  readonly interval: ServiceInterval;
  readonly maintenanceDue: boolean;
  /** Which limits the usage since service has reached. */
  readonly dueReasons: DueReason[];
  /** Of the nearer limit, how much is used (1 = due). */
  readonly serviceUsed: number;
}

export function isToolModel(model: string): boolean {
  return Object.hasOwn(TOOL_MODELS, model);
}

/** A tool with its model's interval and whether it is due (at or past a limit). */
export function toolView(tool: ToolRecord): ToolView {
  const interval = TOOL_MODELS[tool.model] ?? TOOL_MODELS['standard']!;
  const dueReasons: DueReason[] = [];
  if (tool.minutesSinceService >= interval.usageMinutes) dueReasons.push('usage');
  if (tool.cyclesSinceService >= interval.cycles) dueReasons.push('cycles');
  const serviceUsed = Math.max(
    tool.minutesSinceService / interval.usageMinutes,
    tool.cyclesSinceService / interval.cycles,
  );
  return {
    ...tool,
    interval,
    maintenanceDue: dueReasons.length > 0,
    dueReasons,
    serviceUsed: Math.round(serviceUsed * 1000) / 1000,
  };
}

export interface JobSiteView {
  readonly jobSiteId: string;
  readonly tools: number;
  readonly maintenanceDue: number;
  /** Tools whose newest report carried an error code, and reports with one in all. */
  readonly withErrors: number;
  readonly errors: number;
  readonly usageMinutes: number;
  /** The lowest battery among the site's tools that reported one. */
  readonly lowestBatteryPct: number | null;
}

/** The tools grouped by job site (tools with none are left out), ordered by site id. */
export function jobSites(tools: readonly ToolView[]): JobSiteView[] {
  const sites = new Map<string, ToolView[]>();
  for (const tool of tools) {
    if (tool.jobSiteId === null) continue;
    sites.set(tool.jobSiteId, [...(sites.get(tool.jobSiteId) ?? []), tool]);
  }
  return [...sites.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([jobSiteId, list]) => {
      const batteries = list.flatMap((t) => (t.batteryPct === null ? [] : [t.batteryPct]));
      return {
        jobSiteId,
        tools: list.length,
        maintenanceDue: list.filter((t) => t.maintenanceDue).length,
        withErrors: list.filter((t) => t.lastErrorCode !== null).length,
        errors: list.reduce((n, t) => n + t.errors, 0),
        usageMinutes: list.reduce((n, t) => n + t.usageMinutes, 0),
        lowestBatteryPct: batteries.length === 0 ? null : Math.min(...batteries),
      };
    });
}
