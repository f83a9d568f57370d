import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { metricSum } from './platform-sample.js';

const TEXT = `# HELP fleetplane_ingest_messages_total Device messages by outcome.
# TYPE fleetplane_ingest_messages_total counter
fleetplane_ingest_messages_total{outcome="stored",type="scan"} 650
fleetplane_ingest_messages_total{outcome="stored",type="health"} 325
fleetplane_ingest_messages_total{outcome="duplicate",type="scan"} 3
# HELP fleetplane_ingest_rejects_total Messages rejected, by reason code.
# TYPE fleetplane_ingest_rejects_total counter
# TYPE fleetplane_process_open_fds gauge
fleetplane_process_open_fds 10042
`;

describe('reading the platform /metrics', () => {
  it('sums the samples whose labels match, over every other label', () => {
    assert.equal(metricSum(TEXT, 'fleetplane_ingest_messages_total', 'outcome="stored"'), 975);
    assert.equal(metricSum(TEXT, 'fleetplane_ingest_messages_total'), 978);
    assert.equal(metricSum(TEXT, 'fleetplane_process_open_fds'), 10042);
  });

  it('reads a labelled counter nothing has counted as zero, and a missing metric as an error', () => {
    assert.equal(metricSum(TEXT, 'fleetplane_ingest_rejects_total'), 0);
    assert.throws(
      () => metricSum(TEXT, 'fleetplane_ingest_messages'),
      /has no fleetplane_ingest_messages$/,
    );
  });
});
