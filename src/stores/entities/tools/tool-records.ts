/** One tool report as ingest verified it (decision 046). */
export interface ToolReport {
  readonly deviceId: string;
  readonly counter: number;
  /** The tool's own timestamp (ms since epoch). */
  readonly reportedAt: number;
  readonly usageMinutes: number;
  readonly cycles: number;
  readonly batteryPct: number;
  readonly errorCode: string | null;
  /** When the report's dedup row may be deleted (ms since epoch). */
  readonly expiresAt: number;
}

/** A tool's usage and state as the cloud counts them. */
export interface ToolRecord {
  readonly deviceId: string;
  /** Sets the service interval (data: domain/tools/tool-models.ts). */
  readonly model: string;
  readonly jobSiteId: string | null;
  readonly usageMinutes: number;
  readonly cycles: number;
  readonly minutesSinceService: number;
  readonly cyclesSinceService: number;
  readonly servicedAt: string | null;
  readonly services: number;
  readonly reports: number;
  readonly lastReportAt: string | null;
  readonly batteryPct: number | null;
  /** Reports that carried an error code, and the newest of them. */
  readonly errors: number;
  readonly lastErrorCode: string | null;
  readonly lastErrorAt: string | null;
}

export interface ToolService {
  readonly deviceId: string;
  readonly servicedAt: string;
  readonly servicedBy: string;
  readonly note: string | null;
  /** The usage since the previous service that this one reset. */
  readonly usageMinutes: number;
  readonly cycles: number;
}

/** Connected tools' usage, services and job sites (migration 017). */
export interface ToolRecords {
  /**
   * Counts each report once (device and counter): totals always, and usage since the last
   * service when the report's time is at or after it. Returns how many reports were new.
   */
  recordToolReports(reports: readonly ToolReport[]): Promise<number>;
  /** Sets a tool's job site and/or model (a row is made for a tool not seen yet). */
  assignTool(
    deviceId: string,
    change: { readonly jobSiteId?: string | null; readonly model?: string },
  ): Promise<ToolRecord>;
  getTool(deviceId: string): Promise<ToolRecord | undefined>;
  /** By device id; only one job site's with `jobSiteId`. */
  listTools(query: { readonly jobSiteId?: string }): Promise<ToolRecord[]>;
  /**
   * Resets the usage since service at `at` (ms since epoch) and keeps the service in the
   * history; undefined for a tool the cloud has no row for.
   */
  serviceTool(
    deviceId: string,
    service: { readonly at: number; readonly by: string; readonly note: string | null },
  ): Promise<{ tool: ToolRecord; service: ToolService } | undefined>;
  /** Newest first. */
  listToolServices(deviceId: string): Promise<ToolService[]>;
  /** Deletes dedup rows past their time; returns how many. */
  expireToolReports(now: number): Promise<number>;
}
