// The ingest benchmark's JetStream streams, removed after the run so the machine's NATS keeps
// nothing of it (an interrupted run leaves them: `nats stream rm BENCH_<pid>`).
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { queueLayout } from '../src/pipeline/ingest-queue/jetstream-layout.js';

export async function removeBenchStream(url: string): Promise<void> {
  const nc = await connect({ servers: new URL(url).host });
  try {
    const jsm = await jetstreamManager(nc);
    const layout = queueLayout(`BENCH_${process.pid}`);
    await jsm.streams.delete(layout.stream).catch(() => undefined);
    await jsm.streams.delete(layout.deadStream).catch(() => undefined);
  } finally {
    await nc.close();
  }
}
