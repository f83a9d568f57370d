import { LocalKeyring } from '../../stores/keys/index.js';
import type { Command } from '../command.js';
import { analyticsSqlCommand, analyticsViewCommand } from './analytics-sql-command.js';
import { exportParquetCommand, type AnalyticsCommandDeps } from './export-parquet-command.js';

/** `export parquet`, `analytics sql` and `analytics view` (decision 057). */
export function analyticsCommands(options: Partial<AnalyticsCommandDeps> = {}): Command[] {
  const now = options.now ?? (() => new Date());
  const deps: AnalyticsCommandDeps = {
    now,
    keys: options.keys ?? ((dir) => new LocalKeyring(dir, now)),
    ...(options.chunkEvents ? { chunkEvents: options.chunkEvents } : {}),
  };
  return [exportParquetCommand(deps), analyticsSqlCommand(), analyticsViewCommand()];
}
