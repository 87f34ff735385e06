/** The load generator's view of itself: its own CPU time, and its own garbage collected between runs. */
import v8 from 'node:v8';
import vm from 'node:vm';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** Collects the generator's garbage, so a run does not pay for the previous one's. */
export function collectGeneratorGarbage(): void {
  gc();
}

/** User + system CPU time of this process (all its threads) so far, in microseconds. */
export function readOwnCpuTimeUs(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}
