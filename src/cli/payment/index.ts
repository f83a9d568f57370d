import type { Command } from '../command.js';
import { processStopSignal } from '../platform/start-command.js';
import { systemClock } from '../../edge/identity/index.js';
import { createLogger } from '../../shared/observability/logger.js';
import {
  paymentInitCommand,
  paymentServeCommand,
  type PaymentCommandDeps,
} from './payment-commands.js';

/** The payment zone and its service (decision 016); tests pass a clock, a stop signal, a logger. */
export function paymentCommands(options: Partial<PaymentCommandDeps> = {}): Command[] {
  const deps: PaymentCommandDeps = {
    now: options.now ?? systemClock,
    stopSignal: options.stopSignal ?? processStopSignal,
    log: options.log ?? (() => createLogger()),
  };
  return [paymentInitCommand(deps), paymentServeCommand(deps)];
}
