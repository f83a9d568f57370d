import { costTable, MAX_CARTS } from '../../domain/cost/cost-model.js';
import { COST_INPUTS } from '../../domain/cost/measured-inputs.js';
import { DEFAULT_PRICE_FILE, loadPriceFile } from '../../domain/cost/price-file.js';
import { stringOption, UsageError, type Command } from '../command.js';
import { renderCostReport } from './cost-report.js';

/** `--carts N`: a whole number of carts from 1 to MAX_CARTS, or a usage error saying so. */
export function parseCarts(text: string): number {
  const carts = /^[0-9]+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(carts) || carts < 1 || carts > MAX_CARTS) {
    throw new UsageError(`--carts must be a whole number from 1 to ${MAX_CARTS}, got '${text}'`);
  }
  return carts;
}

/** `fleetplane cost`: cloud cost per cart-month, self-hosted and on AWS, beside the seed's. */
export function costCommand(): Command {
  return {
    path: ['cost'],
    summary: 'Cloud cost per cart-month, self-hosted and on AWS, beside the seed’s $0.39.',
    usage: 'cost --carts N [--prices FILE] [--json]',
    details: [
      '--carts N      the fleet size (fixed costs are shared over it; the VM is sized for its peak)',
      `--prices FILE  a dated price list (default ${DEFAULT_PRICE_FILE})`,
      '--json         the whole table as JSON, with the usage inputs and where each came from',
      'Usage comes from the benchmarks and the PRD (decision 061); prices from the price file.',
      'Example: fleetplane cost --carts 5000',
    ],
    options: { carts: { type: 'string' }, prices: { type: 'string' }, json: { type: 'boolean' } },
    required: ['carts'],
    async run(values, io) {
      const carts = parseCarts(stringOption(values, 'carts')!);
      const prices = await loadPriceFile(stringOption(values, 'prices') ?? DEFAULT_PRICE_FILE);
      const table = costTable(carts, prices);
      if (values['json'] === true) {
        io.out(JSON.stringify({ ...table, inputs: COST_INPUTS }, null, 2));
        return;
      }
      for (const line of renderCostReport(table)) io.out(line);
    },
  };
}
