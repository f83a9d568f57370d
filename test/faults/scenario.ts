// The shape every fault scenario shares, so one command can run them all and one report can
// compare them: what the devices had acknowledged, what the platform held afterwards, and the
// difference either way.

/** What one scenario found. `lost` and `duplicated` must both be zero for it to pass. */
export interface FaultReport {
  readonly scenario: string;
  /** One sentence: what was done to the platform and when. */
  readonly fault: string;
  /** Messages (or commands, jobs…) the platform acknowledged to a device before or during the fault. */
  readonly acknowledged: number;
  /** Distinct acknowledged items found stored afterwards. */
  readonly stored: number;
  /** Acknowledged items not found stored. */
  readonly lost: number;
  /** Items stored more than once (each extra copy counts one). */
  readonly duplicated: number;
  /** What the scenario checked beyond the counts, each a short sentence; failures say why. */
  readonly checks: readonly {
    readonly what: string;
    readonly ok: boolean;
    readonly detail?: string;
  }[];
  /** Scenario-specific figures (restart time, messages refused while the disk was full…). */
  readonly figures: Readonly<Record<string, number | string>>;
  readonly durationMs: number;
}

/** Where a scenario may write and how it tells the operator what it is doing. */
export interface ScenarioContext {
  /** A fresh directory for this scenario, removed afterwards unless --keep. */
  readonly workDir: string;
  /** A progress line for the terminal. */
  readonly log: (line: string) => void;
  /**
   * `quick`: a small load that still crosses the fault (a few hundred messages), for the engine
   * test that runs every scenario in CI; `full`: the load `npm run faults` reports.
   */
  readonly scale: 'quick' | 'full';
  /**
   * Aborted when the run is given up (the engine test timed out or was cancelled): a scenario
   * stops its load and kills the platform processes it started, so none outlives it.
   */
  readonly signal?: AbortSignal;
}

export interface FaultScenario {
  /** Kebab-case, unique: `--only NAME` selects it and the report file is NAME.json. */
  readonly name: string;
  readonly title: string;
  /** Why it cannot run here (a missing binary, not root…), or undefined when it can. */
  unavailable(): Promise<string | undefined>;
  run(context: ScenarioContext): Promise<FaultReport>;
}

/** A report passes when nothing acknowledged was lost, nothing stored twice, and every check held. */
export function passed(report: FaultReport): boolean {
  return report.lost === 0 && report.duplicated === 0 && report.checks.every((c) => c.ok);
}
