import type { VaultStore } from './vault-store.js';
import type { Region } from './vault-types.js';

/**
 * A region's vault that opens (and migrates) its database on the first call that needs it. An
 * embedded vault is a PGlite instance of some 150 MB; a platform whose stores are all in one
 * region never pays for the other's (issue 16). `untouched` says that the database has never been
 * created, so `count` can answer zero without creating it.
 */
export class VaultOnUse implements VaultStore {
  #opening: Promise<VaultStore> | undefined;
  #closed = false;

  constructor(
    readonly region: Region,
    private readonly open: () => Promise<VaultStore>,
    private readonly untouched: () => boolean = () => false,
  ) {}

  /** Opens and migrates it now (a region that has a store is opened after start). */
  opened(): Promise<VaultStore> {
    if (this.#closed) return Promise.reject(new Error(`the ${this.region} vault is closed`));
    this.#opening ??= this.open().then(async (vault) => {
      try {
        await vault.migrate();
        return vault;
      } catch (error) {
        await vault.close().catch(() => undefined);
        throw error;
      }
    });
    this.#opening.catch(() => (this.#opening = undefined));
    return this.#opening;
  }

  get isOpen(): boolean {
    return this.#opening !== undefined;
  }

  async migrate(): Promise<void> {
    await this.opened();
  }

  async count(): Promise<{ accounts: number; erased: number }> {
    if (!this.#opening && this.untouched()) return { accounts: 0, erased: 0 };
    return (await this.opened()).count();
  }

  async countErasedBefore(before: Date): Promise<number> {
    if (!this.#opening && this.untouched()) return 0;
    return (await this.opened()).countErasedBefore(before);
  }

  async purgeErasedBefore(before: Date): Promise<number> {
    if (!this.#opening && this.untouched()) return 0;
    return (await this.opened()).purgeErasedBefore(before);
  }

  async close(): Promise<void> {
    this.#closed = true;
    const opening = this.#opening;
    this.#opening = undefined;
    const vault = await opening?.catch(() => undefined);
    await vault?.close();
  }

  putAccount: VaultStore['putAccount'] = async (a) => (await this.opened()).putAccount(a);
  getAccount: VaultStore['getAccount'] = async (id) => (await this.opened()).getAccount(id);
  findByLookup: VaultStore['findByLookup'] = async (kind, digest) =>
    (await this.opened()).findByLookup(kind, digest);
  setLookup: VaultStore['setLookup'] = async (kind, digest, id) =>
    (await this.opened()).setLookup(kind, digest, id);
  addPaymentMethod: VaultStore['addPaymentMethod'] = async (m) =>
    (await this.opened()).addPaymentMethod(m);
  paymentMethods: VaultStore['paymentMethods'] = async (id) =>
    (await this.opened()).paymentMethods(id);
  markErased: VaultStore['markErased'] = async (id, at) => (await this.opened()).markErased(id, at);
  listAccountIds: VaultStore['listAccountIds'] = async (opts) =>
    (await this.opened()).listAccountIds(opts);
}
