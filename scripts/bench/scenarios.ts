/**
 * What `npm run bench` measures. A group is one fresh server and one session whose participants join
 * once and stay for every run of the group's scenarios; each run of a vote scenario is a new round.
 */
import type { ClientKind } from './clients.ts';

export type ScenarioKind = 'votes' | 'reconnect' | 'sessions';

export interface Scenario {
  id: string;
  title: string;
  kind: ScenarioKind;
  /** votes: first votes spread over this window (0: all at once). */
  windowMs: number;
  /** votes: share of voters who change their answer. */
  changeFraction: number;
  /** reconnect: phones come back uniformly over this spread after the drop (0: all at once). */
  spreadMs: number;
  /** sessions: rounds each session runs per phase (steady, then one session bursting). */
  roundsPerPhase?: number;
}

export interface ScenarioGroup {
  id: string;
  clientKind: ClientKind;
  /** Participants per session. */
  participants: number;
  /** Sessions on the server at once (default 1). */
  sessions?: number;
  scenarios: Scenario[];
}

const uniform = (n: number, suffix = ''): Scenario => ({
  id: `uniform-${n}${suffix}`,
  title: `${n.toLocaleString('en')} votes over 1 s`,
  kind: 'votes',
  windowMs: 1000,
  changeFraction: 0,
  spreadMs: 0,
});
const burst = (n: number, suffix = ''): Scenario => ({
  id: `burst-${n}${suffix}`,
  title: `${n.toLocaleString('en')} votes at once`,
  kind: 'votes',
  windowMs: 0,
  changeFraction: 0,
  spreadMs: 0,
});
const change = (n: number): Scenario => ({
  id: `change-${n}`,
  title: `${n.toLocaleString('en')} votes over 1 s, 10 % change their answer`,
  kind: 'votes',
  windowMs: 1000,
  changeFraction: 0.1,
  spreadMs: 0,
});
const reconnect = (n: number): Scenario => ({
  id: `reconnect-${n}`,
  title: `${n.toLocaleString('en')} phones drop and reconnect at once`,
  kind: 'reconnect',
  windowMs: 0,
  changeFraction: 0,
  spreadMs: 0,
});

const manySessions: Scenario = {
  id: 'sessions-20x300',
  title: '20 sessions of 300 phones, each at its own pace; then one of them sends bursts',
  kind: 'sessions',
  windowMs: 1000,
  changeFraction: 0,
  spreadMs: 0,
  roundsPerPhase: 5,
};

export const SCENARIO_GROUPS: ScenarioGroup[] = [
  { id: 'wire-300', clientKind: 'wire', participants: 300, scenarios: [uniform(300)] },
  { id: 'socket.io-client-300', clientKind: 'socket.io-client', participants: 300, scenarios: [uniform(300, '-sio')] },
  { id: 'wire-2000', clientKind: 'wire', participants: 2000, scenarios: [uniform(2000), burst(2000), change(2000), reconnect(2000)] },
  { id: 'socket.io-client-2000', clientKind: 'socket.io-client', participants: 2000, scenarios: [uniform(2000, '-sio'), burst(2000, '-sio')] },
  { id: 'wire-10000', clientKind: 'wire', participants: 10_000, scenarios: [uniform(10_000), burst(10_000), change(10_000), reconnect(10_000)] },
  { id: 'sessions-20x300', clientKind: 'wire', participants: 300, sessions: 20, scenarios: [manySessions] },
];

/** Which measurement a target limits. */
export type TargetMetric = 'ackP50Ms' | 'ackP99Ms' | 'lastAckToTallyMs' | 'serverCpuPerVoteUs' | 'peakRssMiB' | 'lost' | 'pushMs' | 'serverPushMs' | 'burstLift';

export interface Target {
  label: string;
  /** The worst value over every run of these scenarios counts. */
  scenarioIds: string[];
  metric: TargetMetric;
  /** The measured value (the worst of the runs) must be at most this. */
  limit: number;
  unit: string;
  /** `baseline`: the limit is a ratio, kotae's worst run over the bare Socket.IO server's worst run in the same bench. */
  against?: 'absolute' | 'baseline';
}

/** The published targets on a 2-core machine (server on one core, generator on the other). */
export const TARGETS: Target[] = [
  { label: 'N = 10,000, W = 1 s: ack p50', scenarioIds: ['uniform-10000'], metric: 'ackP50Ms', limit: 5, unit: 'ms' },
  { label: 'N = 10,000, W = 1 s: ack p99', scenarioIds: ['uniform-10000'], metric: 'ackP99Ms', limit: 50, unit: 'ms' },
  { label: 'N = 10,000, W = 1 s: final tally after the last vote', scenarioIds: ['uniform-10000'], metric: 'lastAckToTallyMs', limit: 200, unit: 'ms' },
  { label: 'N = 10,000, W = 1 s: server CPU per vote', scenarioIds: ['uniform-10000'], metric: 'serverCpuPerVoteUs', limit: 100, unit: 'µs' },
  { label: 'N = 10,000, W = 1 s: server peak RSS', scenarioIds: ['uniform-10000'], metric: 'peakRssMiB', limit: 350, unit: 'MiB' },
  { label: 'N = 10,000, W = 1 s: lost votes', scenarioIds: ['uniform-10000'], metric: 'lost', limit: 0, unit: '' },
  { label: 'burst of 10,000: ack p99', scenarioIds: ['burst-10000'], metric: 'ackP99Ms', limit: 500, unit: 'ms' },
  { label: 'push of a question to 10,000 phones', scenarioIds: ['uniform-10000', 'burst-10000', 'change-10000'], metric: 'pushMs', limit: 200, unit: 'ms' },
  {
    label: 'push to 10,000 phones, server side (command → last frame written)',
    scenarioIds: ['uniform-10000', 'burst-10000', 'change-10000'],
    metric: 'serverPushMs',
    limit: 200,
    unit: 'ms',
  },
  { label: 'N = 300, W = 1 s: ack p99', scenarioIds: ['uniform-300'], metric: 'ackP99Ms', limit: 10, unit: 'ms' },
  { label: '20 sessions × 300: one session\'s bursts lift another\'s ack p99', scenarioIds: ['sessions-20x300'], metric: 'burstLift', limit: 2, unit: '×' },
  { label: '20 sessions × 300: lost votes', scenarioIds: ['sessions-20x300'], metric: 'lost', limit: 0, unit: '' },
  ...['uniform-300', 'uniform-2000', 'uniform-10000', 'burst-10000'].map(
    (id): Target => ({ label: `${id}: ack p99 against the baseline`, scenarioIds: [id], metric: 'ackP99Ms', limit: 2, unit: '×', against: 'baseline' }),
  ),
  ...['uniform-2000', 'uniform-10000'].map(
    (id): Target => ({ label: `${id}: server CPU per vote against the baseline`, scenarioIds: [id], metric: 'serverCpuPerVoteUs', limit: 2, unit: '×', against: 'baseline' }),
  ),
];

/** The participant page's compressed transfer size must stay at most this. */
export const PAGE_WEIGHT_LIMIT_BYTES = 100 * 1024;
