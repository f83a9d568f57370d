import { randomUUID } from 'node:crypto';
import { DEVICE_EXAMPLES } from '../../contract/examples.js';
import type { DeviceMessage } from '../../contract/index.js';
import type { CounterFile } from '../link/counter-file.js';
import type { DeviceLink } from '../link/device-link.js';

const CATALOG = [
  { barcode: '4006381333931', sku: 'SKU-1029', price_cents: 249, weight: 500 },
  { barcode: '5449000000996', sku: 'SKU-2210', price_cents: 129, weight: 540 },
  { barcode: '8000500310427', sku: 'SKU-3301', price_cents: 399, weight: 250 },
  { barcode: '7622210449283', sku: 'SKU-4410', price_cents: 189, weight: 100 },
  { barcode: '4311501650714', sku: 'SKU-5120', price_cents: 99, weight: 1000 },
];

/**
 * A stand-in cart for `fleetplane demo` until the cart model lands: it shops in a loop (start,
 * a handful of scans, end with a terminal payment) and reports health, all signed and sent over
 * its own mutual-TLS connection. Time runs faster than in a store so there is something to see.
 */
export class DemoCart {
  #battery = 60 + Math.random() * 40;
  #running = false;
  #loop: Promise<void> | undefined;

  constructor(
    private readonly link: DeviceLink,
    private readonly counter: CounterFile,
    private readonly tickMs = 1000,
  ) {}

  get deviceId(): string {
    return this.link.credentials.deviceId;
  }

  start(): void {
    this.#running = true;
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
    await this.link.close();
  }

  async #run(): Promise<void> {
    await this.#send({ ...DEVICE_EXAMPLES.boot, ca_generations: [1] });
    while (this.#running) {
      await this.#shop();
      await this.#health('idle');
      await this.#sleep(this.tickMs * 3);
    }
  }

  async #shop(): Promise<void> {
    const session_id = randomUUID();
    await this.#send({ ...DEVICE_EXAMPLES['session-start'], session_id, battery_pct: this.#pct() });
    const items = 2 + Math.floor(Math.random() * 6);
    const contents = [];
    for (let i = 1; i <= items && this.#running; i++) {
      const item = CATALOG[Math.floor(Math.random() * CATALOG.length)]!;
      const measured = item.weight + Math.round((Math.random() - 0.5) * 30);
      await this.#send({
        ...DEVICE_EXAMPLES.scan,
        session_id,
        scan_seq: i,
        barcode: item.barcode,
        sku: item.sku,
        price_cents: item.price_cents,
        expected_weight_g: item.weight,
        weight_delta_g: measured,
        weight_check: Math.abs(measured - item.weight) <= 20 ? 'match' : 'mismatch',
        read_ms: 150 + Math.floor(Math.random() * 300),
      });
      contents.push({
        barcode: item.barcode,
        sku: item.sku,
        quantity: 1,
        price_cents: item.price_cents,
      });
      if (i % 3 === 0) await this.#health('active', session_id);
      await this.#sleep(this.tickMs);
    }
    const total = contents.reduce((sum, c) => sum + c.price_cents, 0);
    await this.#send({
      ...DEVICE_EXAMPLES['session-end'],
      session_id,
      item_count: contents.length,
      total_cents: total,
      contents,
      weight_mismatches: 0,
      payment: {
        method: 'store-terminal',
        status: 'authorized',
        auth_token: `auth_${randomUUID().replace(/-/g, '').slice(0, 16)}`,
        amount_cents: total,
      },
    });
  }

  async #health(state: 'idle' | 'active', session_id?: string): Promise<void> {
    this.#battery = Math.max(5, this.#battery - 0.3);
    const { session_id: _unused, ...health } = DEVICE_EXAMPLES.health;
    void _unused;
    await this.#send({
      ...health,
      state,
      ...(session_id ? { session_id } : {}),
      battery_pct: this.#pct(),
      battery_mv: Math.round(6400 + this.#battery * 18),
      rssi_dbm: -55 - Math.floor(Math.random() * 20),
      uptime_s: Math.floor(performance.now() / 1000),
    });
  }

  #pct(): number {
    return Math.round(this.#battery * 10) / 10;
  }

  async #send(
    message: Omit<DeviceMessage, 'device_id' | 'counter' | 'ts'> & Partial<DeviceMessage>,
  ): Promise<void> {
    if (!this.#running) return;
    const signed = {
      ...message,
      device_id: this.deviceId,
      counter: await this.counter.next(),
      ts: new Date().toISOString(),
    } as DeviceMessage;
    try {
      await this.link.send(signed);
    } catch {
      // The link reconnects by itself; a message lost here is one the demo can spare.
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }
}
