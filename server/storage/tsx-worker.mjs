// Starts a worker thread on the TypeScript module named by workerData.entry: Node 20 runs a worker's
// entry without the parent's `--import tsx` hooks, so they are registered here first.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
