import { describe, expect, it } from 'vitest';
import type { StorageChange } from '../../../server/storage/storage-change.ts';
import { MAX_BATCH_COMMITS, WriteBatcher, type BatchCommitter } from '../../../server/storage/write-batcher.ts';

/** A committer that records each batch and commits it when the test says so. */
function manualCommitter(): BatchCommitter & { batches: StorageChange[][]; finish(error?: Error): void } {
  const waiting: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  const batches: StorageChange[][] = [];
  return {
    batches,
    commitBatch(changes) {
      batches.push([...changes]);
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    finish(error) {
      const batch = waiting.shift();
      if (!batch) throw new Error('no batch in flight');
      if (error) batch.reject(error);
      else batch.resolve();
    },
    close: () => Promise.resolve(),
  };
}

function moveOf(slideId: string): StorageChange {
  return { kind: 'deck-move-appended', sessionId: 's1', move: { slideId, movedAt: 1 } };
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

describe('the write batcher', () => {
  it('sends every commit of one turn as one batch, in order', async () => {
    const committer = manualCommitter();
    const batcher = new WriteBatcher(committer);
    const commits = Array.from({ length: 100 }, (_, n) => batcher.commit([moveOf(`a${n}`), moveOf(`b${n}`)]));
    await nextTurn();
    expect(committer.batches).toHaveLength(1);
    expect(committer.batches[0]).toEqual(Array.from({ length: 100 }, (_, n) => [moveOf(`a${n}`), moveOf(`b${n}`)]).flat());
    committer.finish();
    await Promise.all(commits);
  });

  it('starts a batch as soon as it is full, without waiting for the turn to end, and queues the rest', async () => {
    const committer = manualCommitter();
    const batcher = new WriteBatcher(committer);
    const commits = Array.from({ length: MAX_BATCH_COMMITS + 44 }, (_, n) => batcher.commit([moveOf(`${n}`)]));
    expect(committer.batches).toHaveLength(1);
    expect(committer.batches[0]).toHaveLength(MAX_BATCH_COMMITS);
    committer.finish();
    await Promise.all(commits.slice(0, MAX_BATCH_COMMITS));
    await nextTurn();
    expect(committer.batches[1]).toEqual(Array.from({ length: 44 }, (_, n) => moveOf(`${MAX_BATCH_COMMITS + n}`)));
    committer.finish();
    await Promise.all(commits);
  });

  it('keeps what is queued during a batch for the next one, sent only after the first is committed', async () => {
    const committer = manualCommitter();
    const batcher = new WriteBatcher(committer);
    const first = batcher.commit([moveOf('1')]);
    await nextTurn();
    const second = batcher.commit([moveOf('2')]);
    const third = batcher.commit([moveOf('3')]);
    await nextTurn();
    expect(committer.batches).toEqual([[moveOf('1')]]);
    committer.finish();
    await first;
    await nextTurn();
    expect(committer.batches).toEqual([[moveOf('1')], [moveOf('2'), moveOf('3')]]);
    committer.finish();
    await Promise.all([second, third]);
  });

  it('resolves an empty commit only after the batch in flight before it', async () => {
    const committer = manualCommitter();
    const batcher = new WriteBatcher(committer);
    let isCommitted = false;
    const write = batcher.commit([moveOf('1')]).then(() => (isCommitted = true));
    await nextTurn();
    const empty = batcher.commit([]).then(() => isCommitted);
    await nextTurn();
    committer.finish();
    expect(await empty).toBe(true);
    await write;
    expect(committer.batches).toHaveLength(1);
  });

  it('rejects every commit of a failed batch and goes on with the next', async () => {
    const committer = manualCommitter();
    const batcher = new WriteBatcher(committer);
    const failed = [batcher.commit([moveOf('1')]), batcher.commit([moveOf('2')])];
    await nextTurn();
    committer.finish(new Error('disk full'));
    for (const commit of failed) await expect(commit).rejects.toThrow('disk full');
    const next = batcher.commit([moveOf('3')]);
    await nextTurn();
    committer.finish();
    await next;
    expect(committer.batches).toEqual([[moveOf('1'), moveOf('2')], [moveOf('3')]]);
  });

  it('drains: resolves once everything queued has been committed', async () => {
    const committer = manualCommitter();
    const batcher = new WriteBatcher(committer);
    const write = batcher.commit([moveOf('1')]);
    const drained = batcher.drain();
    expect(committer.batches).toEqual([[moveOf('1')]]);
    committer.finish();
    await drained;
    await write;
  });
});
