import type { RolloutRecord } from './ports.js';
import { currentEvidence } from './stage-judgement.js';

/**
 * The rollout after the host's clock stepped by `stepMs` (an NTP step, `date -s`, a VM resumed),
 * seen at `now` on the clock after the step. Every duration the engine judges is the gap between
 * a mark it stored and `now`, so a step would pass for time: an hour forward ended a stage's soak
 * and health window an hour early, and an hour back left the stage and the health judgement
 * waiting an hour for the clock to catch up with marks in its future. The engine's own marks move
 * with the clock, so a stage has soaked what it had and health is judged on from where it was:
 * the stage's start, and how far health was judged. Marks from elsewhere cannot move (a job's last
 * status, a device's last word): they count from the step on (`onClockNow`), and the rollout keeps
 * when that was.
 *
 * Health is judged from `healthFrom` (creation, or the last release), with the installs that
 * finished since: a step forward leaves it where it was (moving it would forget the installs
 * before the step); a step back moves it with the clock, as it must be no later than `now`.
 *
 * With no step reported (`stepMs` 0), a clock that went back while nobody watched (the platform
 * was down) still shows: the health was judged to a time after `now`. It is taken as a step back
 * by that much, the least it can have been.
 */
export function afterClockStep(rollout: RolloutRecord, stepMs: number, now: number): RolloutRecord {
  const evidence = currentEvidence(rollout);
  const step = stepMs !== 0 ? stepMs : Math.min(0, now - evidence.judgedTo);
  if (step === 0) return rollout;
  const moved = (at: number) => Math.min(at + step, now);
  const healthFrom = rollout.healthFrom + Math.min(0, step);
  return {
    ...rollout,
    stageStartedAt: moved(rollout.stageStartedAt),
    healthFrom,
    evidence: { ...evidence, since: healthFrom, judgedTo: moved(evidence.judgedTo) },
    clockSteppedAt: now,
  };
}

/**
 * A mark the engine reads back but does not own (a job's last send or status, a device's last
 * word), on the clock as it is at `now`: one from before the host clock last stepped counts from
 * the step, since how long before it was is not known on this clock; one in the future was made
 * before a step back, and counts from the step too (from `now`, when no step was seen).
 */
export function onClockNow(
  mark: number,
  rollout: Pick<RolloutRecord, 'clockSteppedAt'>,
  now: number,
): number {
  const stepped = rollout.clockSteppedAt;
  if (mark > now) return stepped !== undefined && stepped <= now ? stepped : now;
  return stepped !== undefined && stepped <= now ? Math.max(mark, stepped) : mark;
}
