/** The commit worker (started by worker-committer.ts): commits each batch it is sent in one transaction. */
import { parentPort, workerData } from 'node:worker_threads';
import { commitChanges, openRepositories } from './apply-change.ts';
import { connectDatabase } from './database.ts';
import type { CommitWorkerData, CommitWorkerReply, CommitWorkerRequest } from './worker-committer.ts';

const port = parentPort!;
const db = connectDatabase((workerData as CommitWorkerData).dataDir);
const repositories = openRepositories(db);

port.on('message', (request: CommitWorkerRequest) => {
  if (request.kind === 'close') {
    db.close();
    port.close();
    return;
  }
  let reply: CommitWorkerReply;
  try {
    commitChanges(db, repositories, request.changes);
    reply = { ok: true };
  } catch (error) {
    const { name, message, code } = error as Error & { code?: string };
    reply = { ok: false, error: { name, message, code } };
  }
  port.postMessage(reply);
});
