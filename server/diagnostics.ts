/**
 * What the benchmark reads from inside a server it started: how long a push to a room takes on the
 * server's side, garbage-collection pauses, heap and resident memory, and how many rooms are held.
 * Off in production; `DIAGNOSTICS=ipc` answers over the IPC channel of a parent process only, so
 * nothing is exposed on the network.
 */
import { PerformanceObserver, constants as perfConstants, type PerformanceEntry } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';

/** One push of an event to every socket of a room. */
export interface FanOutSample {
  event: string;
  recipients: number;
  /** The emit call: every frame encoded and handed to its socket (written, or queued when the kernel buffer is full). */
  emitMs: number;
  /** From the command that caused it arriving at the server to the end of the emit; null when no command is known. */
  sinceCommandMs: number | null;
}

/** Garbage-collection pauses of one kind since start. */
export interface GcPauses {
  count: number;
  totalMs: number;
  maxMs: number;
}

/** What `diagnostics:read` answers. */
export interface DiagnosticsReport {
  memory: NodeJS.MemoryUsage;
  heapLimitBytes: number;
  gc: { minor: GcPauses; major: GcPauses; incremental: GcPauses; weak: GcPauses };
  /** Pauses of 50 ms or more, in order, at most the last 200. */
  longGcPauses: Array<{ kind: keyof DiagnosticsReport['gc']; ms: number }>;
  /** The latest fan-outs, oldest first, at most the last 200. */
  fanOuts: FanOutSample[];
  roomsHeld: number;
}

/** Messages a parent process may send; each is answered with `{ type, id, data }`. */
export type DiagnosticsRequest = { type: 'diagnostics:read'; id: number } | { type: 'diagnostics:collect-garbage'; id: number };

/** The hooks the server calls; all of them cost nothing when diagnostics are off. */
export interface Diagnostics {
  readonly isEnabled: boolean;
  /** A command that may push to a room arrived (its receipt time starts `sinceCommandMs`). */
  commandReceived(roomKey: string, at: number): void;
  fanOut(roomKey: string, event: string, recipients: number, startedAt: number, endedAt: number): void;
  /** Tells the report how many rooms the registry holds. */
  countRoomsWith(count: () => number): void;
  close(): void;
}

export const NO_DIAGNOSTICS: Diagnostics = {
  isEnabled: false,
  commandReceived() {},
  fanOut() {},
  countRoomsWith() {},
  close() {},
};

const KEPT_SAMPLES = 200;
const LONG_GC_PAUSE_MS = 50;

function gcKindOf(entry: PerformanceEntry): keyof DiagnosticsReport['gc'] {
  const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
  if (kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR) return 'major';
  if (kind === perfConstants.NODE_PERFORMANCE_GC_INCREMENTAL) return 'incremental';
  if (kind === perfConstants.NODE_PERFORMANCE_GC_WEAKCB) return 'weak';
  return 'minor';
}

function pushBounded<T>(list: T[], item: T): void {
  list.push(item);
  if (list.length > KEPT_SAMPLES) list.shift();
}

/** Diagnostics answered over `process.send`; the process must have been spawned with an IPC channel. */
export function createIpcDiagnostics(channel: NodeJS.Process): Diagnostics {
  const send = channel.send?.bind(channel);
  if (!send) throw new Error('DIAGNOSTICS=ipc needs a parent process with an IPC channel');
  const emptyPauses = (): GcPauses => ({ count: 0, totalMs: 0, maxMs: 0 });
  const gc: DiagnosticsReport['gc'] = { minor: emptyPauses(), major: emptyPauses(), incremental: emptyPauses(), weak: emptyPauses() };
  const longGcPauses: DiagnosticsReport['longGcPauses'] = [];
  const fanOuts: FanOutSample[] = [];
  const lastCommandAt = new Map<string, number>();
  let countRooms = (): number => 0;

  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = gcKindOf(entry);
      const pauses = gc[kind];
      pauses.count += 1;
      pauses.totalMs += entry.duration;
      pauses.maxMs = Math.max(pauses.maxMs, entry.duration);
      if (entry.duration >= LONG_GC_PAUSE_MS) pushBounded(longGcPauses, { kind, ms: entry.duration });
    }
  });
  observer.observe({ entryTypes: ['gc'] });

  const report = (): DiagnosticsReport => ({
    memory: process.memoryUsage(),
    heapLimitBytes: v8.getHeapStatistics().heap_size_limit,
    gc,
    longGcPauses,
    fanOuts,
    roomsHeld: countRooms(),
  });
  const onMessage = (message: unknown): void => {
    const request = message as DiagnosticsRequest;
    if (request?.type === 'diagnostics:read') {
      send({ type: request.type, id: request.id, data: report() });
    } else if (request?.type === 'diagnostics:collect-garbage') {
      v8.setFlagsFromString('--expose-gc');
      (vm.runInNewContext('gc') as () => void)();
      // The observer hears of the collection on a later turn.
      setTimeout(() => send({ type: request.type, id: request.id, data: report() }), 20);
    }
  };
  channel.on('message', onMessage);

  return {
    isEnabled: true,
    commandReceived(roomKey, at) {
      lastCommandAt.set(roomKey, at);
    },
    fanOut(roomKey, event, recipients, startedAt, endedAt) {
      const commandAt = lastCommandAt.get(roomKey);
      pushBounded(fanOuts, { event, recipients, emitMs: endedAt - startedAt, sinceCommandMs: commandAt === undefined ? null : endedAt - commandAt });
    },
    countRoomsWith(count) {
      countRooms = count;
    },
    close() {
      observer.disconnect();
      channel.off('message', onMessage);
    },
  };
}
