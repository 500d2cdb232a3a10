import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { GroupCommit } from '../../src/pipeline/group-commit.js';
import { openDatabase } from '../../src/store/database.js';

test('callers arriving together share one transaction; a failing one is rolled back alone', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'group-commit-'));
  const db = openDatabase(dir);
  try {
    db.exec('CREATE TABLE t (v TEXT)');
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    let commits = 0;
    const group = new GroupCommit<string, number>(
      db,
      (v) => {
        insert.run(v);
        if (v === 'bad') throw new Error('refused');
        return v.length;
      },
      () => commits++,
    );
    const results = await Promise.allSettled(['a', 'bb', 'bad', 'ccc'].map((v) => group.submit(v)));
    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message)),
      [1, 2, 'refused', 3],
    );
    assert.equal(commits, 1, 'one commit for the four callers');
    assert.deepEqual((db.prepare('SELECT v FROM t ORDER BY rowid').all() as Array<{ v: string }>).map((r) => r.v), ['a', 'bb', 'ccc']);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
