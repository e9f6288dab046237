// One-unit moves as the planner's brush makes them: GridState.move plus the donor's contiguity and both grids'
// Polsby-Popper, timed one by one. The hot path allocates nothing, so a slow sample is either the engine's own work
// or time the process did not get (the OS ran another process, a GC pause). Each sample over 100 µs is told apart:
// the process's CPU time across it (much less than its wall time: the process was descheduled), garbage
// collections overlapping it, and the same move re-timed (fastest of 5 repeats).
import { PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';
import type { GridState } from '../../server/balance/index';

export interface MoveTimings {
  moves: number;
  meanMicroseconds: number;
  p99Microseconds: number;
  p999Microseconds: number;
  maxMicroseconds: number;
  /** Samples over 100 µs, and how many of them the process was descheduled for (CPU time < half the wall time). */
  slow: number;
  slowDescheduled: number;
  /** Garbage collections that overlapped a timed move. */
  slowDuringGc: number;
  /** Slowest re-timing (fastest of 5 repeats) among the slow samples: the engine's own cost of those moves. */
  slowRetimedMaxMicroseconds: number;
  /** Max over the samples that were neither descheduled nor during a GC. */
  maxUndisturbedMicroseconds: number;
  /** CPU time the process got during the timed loop, as a share of its wall time. */
  cpuShare: number;
  /** Heap bytes allocated per move by the engine's part (5 untimed rounds; NaN when a GC ran between). */
  bytesPerMove: number;
}

const SLOW_MS = 0.1;

export async function moveTimings(
  state: GridState,
  boundary: readonly [number, number][],
  rounds = 20,
): Promise<MoveTimings> {
  const gcs: { start: number; end: number }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcs.push({ start: entry.startTime, end: entry.startTime + entry.duration });
  });
  observer.observe({ entryTypes: ['gc'] });
  const count = boundary.length * rounds;
  const elapsed = new Float64Array(count);
  const startedAt = new Float64Array(count);
  const cpuMicros = new Float64Array(count);
  const units = Int32Array.from(boundary, ([v]) => v);
  const targets = Int32Array.from(boundary, ([, to]) => to);
  // Results land in typed arrays: a captured `let` holding a double would box it on every write (the harness's own GC).
  const sink = new Float64Array(1);
  /** The move as the planner makes it: donor contiguity, the move, both grids' figures (then undone). */
  const moveOnce = (i: number): void => {
    const v = units[i];
    const from = state.gridOf[v];
    const to = targets[i];
    const connected = state.staysConnectedWithout(v);
    state.move(v, to);
    sink[0] +=
      state.weight[from] + state.weight[to] + state.compactness[from] + state.compactness[to] + (connected ? 1 : 0);
    state.move(v, from);
  };
  const timing = new Float64Array(1);
  const timeOne = (i: number): number => {
    const started = performance.now();
    moveOnce(i);
    timing[0] = performance.now() - started;
    return timing[0];
  };
  // Warm-up: let the JIT compile the path fully (at least 50,000 moves), as it is in a planner session.
  for (let calls = 0; calls < 50_000; calls += boundary.length) for (let b = 0; b < boundary.length; b++) timeOne(b);
  // Allocation of the engine's part (no timer calls): a move that allocates nothing can never start a GC pause.
  // Measured three times, the last kept: the first rounds may still compile (code objects live on the heap too).
  let bytesPerMove = Number.NaN;
  for (let attempt = 0; attempt < 3; attempt++) {
    const gcsBefore = gcs.length;
    const heapBefore = v8.getHeapStatistics().used_heap_size;
    for (let round = 0; round < 5; round++) for (let b = 0; b < boundary.length; b++) moveOnce(b);
    const heapAfter = v8.getHeapStatistics().used_heap_size;
    await new Promise((resolve) => setTimeout(resolve, 20));
    bytesPerMove = gcs.length === gcsBefore ? (heapAfter - heapBefore) / (5 * boundary.length) : Number.NaN;
  }
  const loopCpu = process.cpuUsage();
  const loopStarted = performance.now();
  let i = 0;
  for (let round = 0; round < rounds; round++) {
    for (let b = 0; b < boundary.length; b++) {
      const cpu = process.cpuUsage();
      startedAt[i] = performance.now();
      elapsed[i] = timeOne(b);
      const after = process.cpuUsage(cpu);
      cpuMicros[i++] = after.user + after.system;
    }
  }
  const loopWall = performance.now() - loopStarted;
  const loopCpuUsed = process.cpuUsage(loopCpu);
  await new Promise((resolve) => setTimeout(resolve, 20)); // GC entries arrive asynchronously
  observer.disconnect();

  let slow = 0;
  let slowDescheduled = 0;
  let slowDuringGc = 0;
  let slowRetimedMax = 0;
  let maxUndisturbed = 0;
  let total = 0;
  for (let k = 0; k < count; k++) {
    total += elapsed[k];
    const descheduled = cpuMicros[k] < (elapsed[k] * 1000) / 2;
    const duringGc = gcs.some((gc) => gc.start < startedAt[k] + elapsed[k] && gc.end > startedAt[k]);
    if (!descheduled && !duringGc) maxUndisturbed = Math.max(maxUndisturbed, elapsed[k]);
    if (elapsed[k] <= SLOW_MS) continue;
    slow++;
    if (descheduled) slowDescheduled++;
    if (duringGc) slowDuringGc++;
    let fastest = Infinity;
    for (let repeat = 0; repeat < 5; repeat++) fastest = Math.min(fastest, timeOne(k % boundary.length));
    slowRetimedMax = Math.max(slowRetimedMax, fastest);
  }
  if (sink[0] === Infinity) console.log(''); // keeps the measured work from being optimised away
  const sorted = elapsed.slice().sort();
  const quantile = (q: number): number => (count ? sorted[Math.min(count - 1, Math.floor(count * q))] : 0) * 1000;
  return {
    moves: count,
    meanMicroseconds: (total / Math.max(count, 1)) * 1000,
    p99Microseconds: quantile(0.99),
    p999Microseconds: quantile(0.999),
    maxMicroseconds: count ? sorted[count - 1] * 1000 : 0,
    slow,
    slowDescheduled,
    slowDuringGc,
    slowRetimedMaxMicroseconds: slowRetimedMax * 1000,
    maxUndisturbedMicroseconds: maxUndisturbed * 1000,
    cpuShare: (loopCpuUsed.user + loopCpuUsed.system) / 1000 / loopWall,
    bytesPerMove,
  };
}

export function describeMoveTimings(name: string, t: MoveTimings): string {
  const micro = (value: number): string => `${value.toFixed(1)} µs`;
  const slow = t.slow
    ? `; ${t.slow} over 100 µs (${t.slowDescheduled} while the process was descheduled, ${t.slowDuringGc} during a GC), ` +
      `the same moves re-timed ≤ ${micro(t.slowRetimedMaxMicroseconds)}`
    : '';
  const heap = Number.isNaN(t.bytesPerMove) ? 'not measured (a GC ran)' : `${t.bytesPerMove.toFixed(2)} bytes`;
  return (
    `${name}: ${t.moves} one-unit moves, mean ${micro(t.meanMicroseconds)}, p99 ${micro(t.p99Microseconds)}, ` +
    `p99.9 ${micro(t.p999Microseconds)}, max ${micro(t.maxMicroseconds)}${slow}; ` +
    `max of undisturbed moves ${micro(t.maxUndisturbedMicroseconds)}; ` +
    `CPU share of the process during the loop ${(t.cpuShare * 100).toFixed(0)} %; heap allocated per move ${heap}`
  );
}
