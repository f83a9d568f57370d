import type { CommandRequest } from '../../contract/index.js';

/** How a command ended, kept so a second delivery of its id repeats the answer. */
export interface CommandOutcome {
  readonly command_id: string;
  readonly status: 'succeeded' | 'failed' | 'rejected';
  readonly code?: string;
  readonly at: number;
}

/** Where the outcomes live across reboots: the device's flash (cart, sensor, tool). */
export interface CommandOutcomeStore {
  readCommands(): Promise<CommandOutcome[]>;
  writeCommands(outcomes: readonly CommandOutcome[]): Promise<void>;
}

export interface CommandAnswer {
  readonly status: CommandOutcome['status'];
  readonly code?: string;
  readonly duplicate: boolean;
}

/** What executing a command came to; a thrown error counts as failed. */
export type Execute = (
  request: CommandRequest,
) => Promise<Omit<CommandOutcome, 'command_id' | 'at'>>;

/**
 * Commands run at most once per command_id, across reboots: the outcome of each is kept in
 * flash (the id and how it ended, never its arguments: attach-customer carries a customer id and
 * a first name), and a second delivery answers with the first outcome and `duplicate: true`. A
 * command past its expiry, by the device's own clock, is rejected without running.
 */
export class CommandBook {
  #done = new Map<string, CommandOutcome>();
  #running = new Map<string, Promise<CommandOutcome>>();
  #write: Promise<void> = Promise.resolve();

  private constructor(private readonly flash: CommandOutcomeStore) {}

  static async open(flash: CommandOutcomeStore): Promise<CommandBook> {
    const book = new CommandBook(flash);
    for (const o of await flash.readCommands()) book.#done.set(o.command_id, o);
    return book;
  }

  async handle(request: CommandRequest, now: number, execute: Execute): Promise<CommandAnswer> {
    const id = request.command_id;
    // Checked and claimed without an await between: a second delivery arriving while the first
    // runs must see it.
    const known = this.#done.get(id);
    const running = this.#running.get(id);
    if (known || running) {
      // A delivery that arrives while the first runs waits for the first to finish, its outcome
      // written to flash included, so its answer never goes out before the first one's.
      const earlier = running ? await running : known!;
      return {
        status: earlier.status,
        ...(earlier.code ? { code: earlier.code } : {}),
        duplicate: true,
      };
    }
    const run = (async (): Promise<CommandOutcome> => {
      if (Date.parse(request.expires_at) <= now) {
        return { command_id: id, status: 'rejected', code: 'expired', at: now };
      }
      try {
        return { ...(await execute(request)), command_id: id, at: now };
      } catch {
        return { command_id: id, status: 'failed', code: 'error', at: now };
      }
    })().then(async (outcome) => {
      this.#done.set(id, outcome);
      await this.#persist();
      return outcome;
    });
    this.#running.set(id, run);
    const outcome = await run;
    this.#running.delete(id);
    return {
      status: outcome.status,
      ...(outcome.code ? { code: outcome.code } : {}),
      duplicate: false,
    };
  }

  #persist(): Promise<void> {
    // Writes in order, each with everything known so far.
    this.#write = this.#write.then(() => this.flash.writeCommands([...this.#done.values()]));
    return this.#write;
  }
}
