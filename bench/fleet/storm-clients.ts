// The load-generator processes of bench:fleet, driven as one: each holds a slice of the fleet.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { createInterface } from 'node:readline';

export interface ConnectReport {
  readonly ok: number;
  readonly failed: number;
  readonly errors: Record<string, number>;
  /** Wall time until the slowest client finished. */
  readonly seconds: number;
  readonly clientCpuSeconds: number;
  readonly latenciesMs: number[];
}

export interface TelemetryReport {
  readonly devices: number;
  readonly sent: number;
  /** Sent and not acknowledged within 5 s of the last send. */
  readonly lost: number;
  readonly latenciesMs: number[];
}

export class StormClients {
  private constructor(
    private readonly children: ChildProcessByStdio<Writable, Readable, null>[],
    private readonly next: (() => Promise<Record<string, unknown>>)[],
  ) {}

  static async start(options: {
    readonly host: string;
    readonly port: number;
    readonly devicesFile: string;
    readonly devices: number;
    readonly processes: number;
    readonly protocolVersion?: 4 | 5;
  }): Promise<StormClients> {
    const per = Math.ceil(options.devices / options.processes);
    const children: ChildProcessByStdio<Writable, Readable, null>[] = [];
    const readers: (() => Promise<Record<string, unknown>>)[] = [];
    for (let p = 0; p < options.processes; p++) {
      const plan = {
        host: options.host,
        port: options.port,
        devicesFile: options.devicesFile,
        from: p * per,
        to: Math.min(options.devices, (p + 1) * per),
        protocolVersion: options.protocolVersion ?? 4,
      };
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          new URL('./storm-client.ts', import.meta.url).pathname,
          JSON.stringify(plan),
        ],
        { stdio: ['pipe', 'pipe', 'inherit'] },
      );
      const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
      readers.push(async () => {
        const { value, done } = await lines.next();
        if (done) throw new Error('a load generator exited');
        return JSON.parse(value as string) as Record<string, unknown>;
      });
      children.push(child);
    }
    await Promise.all(readers.map((read) => read()));
    return new StormClients(children, readers);
  }

  /** Opens the next `count` devices across the processes, at most `concurrency` handshakes each. */
  async connect(count: number, concurrency: number): Promise<ConnectReport> {
    const per = Math.ceil(count / this.children.length);
    this.children.forEach((c) =>
      c.stdin.write(`${JSON.stringify({ op: 'connect', count: per, concurrency })}\n`),
    );
    const reports = await Promise.all(this.next.map((read) => read()));
    const errors: Record<string, number> = {};
    for (const r of reports)
      for (const [k, v] of Object.entries(r['errors'] as Record<string, number>))
        errors[k] = (errors[k] ?? 0) + v;
    return {
      ok: reports.reduce((a, r) => a + (r['ok'] as number), 0),
      failed: reports.reduce((a, r) => a + (r['failed'] as number), 0),
      errors,
      seconds: Math.max(...reports.map((r) => r['seconds'] as number)),
      clientCpuSeconds: reports.reduce((a, r) => a + (r['cpu_seconds'] as number), 0),
      latenciesMs: reports.flatMap((r) => r['latencies_ms'] as number[]),
    };
  }

  /** Every `every`-th held device sends `rate` signed messages a second for `seconds`. */
  async telemetry(every: number, rate: number, seconds: number): Promise<TelemetryReport> {
    this.children.forEach((c) =>
      c.stdin.write(`${JSON.stringify({ op: 'telemetry', every, rate, seconds })}\n`),
    );
    const reports = await Promise.all(this.next.map((read) => read()));
    return {
      devices: reports.reduce((a, r) => a + (r['devices'] as number), 0),
      sent: reports.reduce((a, r) => a + (r['sent'] as number), 0),
      lost: reports.reduce((a, r) => a + (r['lost'] as number), 0),
      latenciesMs: reports.flatMap((r) => r['latencies_ms'] as number[]),
    };
  }

  async closeAll(): Promise<void> {
    this.children.forEach((c) => c.stdin.write(`${JSON.stringify({ op: 'close' })}\n`));
    await Promise.all(this.next.map((read) => read()));
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.children.map(
        (c) =>
          new Promise<void>((resolve) => {
            c.once('exit', () => resolve());
            c.stdin.end();
          }),
      ),
    );
  }
}
