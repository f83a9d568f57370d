// TEST DOUBLE for the PaymentGateway port: the payment service's own routes, guard, validation and
// rules in memory (fastify inject, SQLite :memory:, the simulated processor with a fixed secret),
// without TLS or a second process. Other modules' unit tests use it to pay; it answers exactly as
// the service would: deterministic refs, `decl…` declines, `…_amt<cents>` mismatches, 409 as
// payment-refused. Never use it outside tests.
import type { FastifyInstance } from 'fastify';
import { silentLogger } from '../src/shared/observability/logger.js';
import {
  postCapture,
  postResolve,
  type PostJson,
} from '../src/domain/payment-bridge/gateway-wire.js';
import type {
  CaptureRequest,
  CaptureResult,
  PaymentGateway,
  ResolvedMethod,
} from '../src/domain/payment-bridge/payment-gateway.js';
import { createPaymentApp } from '../src/payment/payment-app.js';
import { PaymentService } from '../src/payment/payment-service.js';
import { PaymentStore } from '../src/payment/payment-store.js';
import { SimulatedProcessor } from '../src/payment/processor.js';
import { Refusals } from '../src/payment/refusals.js';

export class InMemoryPaymentGateway implements PaymentGateway {
  readonly #store = new PaymentStore(':memory:');
  readonly #app: FastifyInstance;
  readonly #post: PostJson;

  /** The same secret gives the same method refs in every run. */
  constructor(options: { secret?: Uint8Array } = {}) {
    const log = silentLogger();
    const processor = new SimulatedProcessor(options.secret ?? Buffer.alloc(32, 1));
    this.#app = createPaymentApp(
      { service: new PaymentService(this.#store, processor), refusals: new Refusals(log), log },
      null,
    );
    this.#post = async (path, body) => {
      const res = await this.#app.inject({ method: 'POST', url: path, payload: body as object });
      return { status: res.statusCode, body: res.json<unknown>() };
    };
  }

  resolveMethod(paymentToken: string): Promise<ResolvedMethod> {
    return postResolve(this.#post, paymentToken);
  }

  capture(request: CaptureRequest): Promise<CaptureResult> {
    return postCapture(this.#post, request);
  }

  async close(): Promise<void> {
    await this.#app.close();
    this.#store.close();
  }
}
