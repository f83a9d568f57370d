import { Counter, Histogram, type Registry } from 'prom-client';

/**
 * The ledger's metrics, on the platform's registry. Made once per registry: the API and the
 * platform's sweep each hold a CommandService over the same registry. Labelled by command name,
 * never by device.
 */
export interface CommandMetrics {
  readonly sent: Counter<'name' | 'attempt'>;
  readonly outcomes: Counter<'name' | 'status'>;
  readonly duplicates: Counter;
  readonly unknownResponses: Counter;
  readonly responseTime: Histogram<'name'>;
}

const byRegistry = new WeakMap<Registry, CommandMetrics>();

export function commandMetrics(registry: Registry): CommandMetrics {
  let metrics = byRegistry.get(registry);
  if (!metrics) {
    const registers = [registry];
    metrics = {
      sent: new Counter({
        name: 'fleetplane_commands_sent_total',
        help: 'Commands published to devices: first attempts, retries and redeliveries to a new broker session (same command id).',
        labelNames: ['name', 'attempt'] as const,
        registers,
      }),
      outcomes: new Counter({
        name: 'fleetplane_command_outcomes_total',
        help: 'Commands settled: succeeded, failed or rejected by the device, or timeout (no answer before expiry).',
        labelNames: ['name', 'status'] as const,
        registers,
      }),
      duplicates: new Counter({
        name: 'fleetplane_command_duplicate_answers_total',
        help: 'Answers to a known command saying the device had run its id before (nothing ran again).',
        registers,
      }),
      unknownResponses: new Counter({
        name: 'fleetplane_command_unknown_responses_total',
        help: 'Command responses for an id the ledger does not hold for that device; ignored.',
        registers,
      }),
      responseTime: new Histogram({
        name: 'fleetplane_command_response_seconds',
        help: 'Time from publishing a command (its latest attempt) to receiving its answer.',
        labelNames: ['name'] as const,
        buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
        registers,
      }),
    };
    byRegistry.set(registry, metrics);
  }
  return metrics;
}
