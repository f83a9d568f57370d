import type { RolloutJobRecord, RolloutPorts, RolloutRecord } from './ports.js';
import { jobDocument } from './rollout-plan.js';

/**
 * Sends jobs, a bounded number in flight (MQTT QoS 1 waits for each PUBACK), each with a freshly
 * minted URL; counts what went into `report` and returns the jobs whose send failed.
 */
export async function sendJobs(
  ports: Pick<RolloutPorts, 'sender' | 'urls'>,
  rollout: RolloutRecord,
  jobs: readonly RolloutJobRecord[],
  now: number,
  concurrency: number,
  report: { sent: number; readonly sendErrors: { deviceId: string; error: string }[] },
): Promise<RolloutJobRecord[]> {
  const failed: RolloutJobRecord[] = [];
  for (let i = 0; i < jobs.length; i += concurrency) {
    const chunk = jobs.slice(i, i + concurrency);
    const results = await Promise.allSettled(
      chunk.map((job) =>
        ports.sender.send(
          job.deviceId,
          jobDocument(rollout, job, ports.urls.mint(rollout.imageId, now), now),
        ),
      ),
    );
    results.forEach((r, k) => {
      const job = chunk[k]!;
      if (r.status === 'fulfilled') report.sent++;
      else {
        failed.push(job);
        report.sendErrors.push({ deviceId: job.deviceId, error: String(r.reason) });
      }
    });
  }
  return failed;
}
