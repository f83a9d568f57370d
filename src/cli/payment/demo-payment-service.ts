import { silentLogger } from '../../shared/observability/logger.js';
import { PaymentServer } from '../../payment/payment-server.js';
import { PaymentService } from '../../payment/payment-service.js';
import { PaymentStore } from '../../payment/payment-store.js';
import { initPaymentZone, loadPaymentZone } from '../../payment/payment-zone.js';
import { SimulatedProcessor } from '../../payment/processor.js';

/**
 * The payment service for `fleetplane demo`, so card taps and checkouts work out of the box. It
 * keeps its own zone, CA, pinned bridge certificate, database and port, exactly as `payment
 * serve` does; only the process is shared, for a one-command demo. A deployment runs `fleetplane
 * payment serve` as a process (and host) of its own.
 */
export async function startDemoPaymentService(
  dataDir: string,
  now: Date,
): Promise<{ url: string; close(): Promise<void> }> {
  await initPaymentZone(dataDir, now);
  const zone = await loadPaymentZone(dataDir);
  const store = new PaymentStore(zone.layout.db);
  const server = new PaymentServer({
    host: '127.0.0.1',
    port: 0,
    zone,
    service: new PaymentService(store, new SimulatedProcessor(zone.processorSecret)),
    log: silentLogger(),
  });
  try {
    const { url } = await server.start();
    return {
      url,
      async close() {
        await server.close();
        store.close();
      },
    };
  } catch (error) {
    store.close();
    throw error;
  }
}
