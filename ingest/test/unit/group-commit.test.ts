import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { GroupCommit } from '../../src/pipeline/group-commit.js';
import { openDatabase, type Db } from '../../src/store/database.js';

type Statement = ReturnType<Db['prepare']>;

/** A fresh store with a table `t (v)`, and its insert statement. */
async function withTable(run: (db: Db, insert: Statement) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'group-commit-'));
  const db = openDatabase(dir);
  try {
    db.exec('CREATE TABLE t (v TEXT)');
    await run(db, db.prepare('INSERT INTO t (v) VALUES (?)'));
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('callers arriving together share one transaction; a failing one is rolled back alone', () =>
  withTable(async (db, insert) => {
    let commits = 0;
    const group = new GroupCommit<string, number>(
      db,
      (v) => {
        insert.run(v);
        if (v === 'bad') throw new Error('refused');
        return v.length;
      },
      { afterCommit: () => commits++ }
    );
    const results = await Promise.allSettled(['a', 'bb', 'bad', 'ccc'].map((v) => group.submit(v)));
    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message)),
      [1, 2, 'refused', 3]
    );
    assert.equal(commits, 1, 'one commit for the four callers');
    assert.deepEqual(
      (
        db.prepare('SELECT v FROM t ORDER BY rowid').all() as Array<{
          v: string;
        }>
      ).map((r) => r.v),
      ['a', 'bb', 'ccc']
    );
  }));

test('callers are answered only once their commit is flushed, and the next group commits meanwhile', () =>
  withTable(async (db, insert) => {
    const flushes: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
    const group = new GroupCommit<string, string>(
      db,
      (v) => {
        insert.run(v);
        return v;
      },
      {
        durable: () => new Promise((resolve, reject) => flushes.push({ resolve, reject })),
      }
    );
    const answered: string[] = [];
    const a = group.submit('a').then((v) => answered.push(v));
    await new Promise((r) => setImmediate(r));
    assert.equal(flushes.length, 1, 'a flush was asked for after the first commit');
    assert.deepEqual([...answered], [], 'not answered before its flush');
    const b = group.submit('b').then((v) => answered.push(v));
    await new Promise((r) => setImmediate(r));
    assert.equal(flushes.length, 2, 'the second group committed while the first flush ran');
    assert.equal((db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n, 2);
    flushes[1]!.resolve();
    await b;
    assert.deepEqual(answered, ['b']);
    flushes[0]!.resolve();
    await a;
    assert.deepEqual(answered, ['b', 'a']);

    const c = group.submit('c');
    await new Promise((r) => setImmediate(r));
    flushes[2]!.reject(new Error('EIO'));
    await assert.rejects(c, /EIO/, 'a failed flush is never acknowledged');
  }));
