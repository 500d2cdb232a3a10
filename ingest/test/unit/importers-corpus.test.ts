import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ImportSummary, readImport, readImportBatches, type ImportRecord } from '../../src/importers/index.js';
import { realCorpus } from '../harness/corpus.js';

/**
 * The real Kibotics logs (read where they live, never copied here), as the contract test reads
 * them: the counts below are what the importers gave before files were read in chunks and batches,
 * so a faster reader that loses, splits or reorders a line fails here.
 */
const corpus = realCorpus();
const PARTS = 'parts' in corpus ? corpus.parts : [];

describe('the real Kibotics logs', { skip: 'skip' in corpus && corpus.skip }, () => {
  it('import to the same lines, events by type, skips and notes', async () => {
    const s = new ImportSummary();
    for await (const batch of readImportBatches(PARTS)) for (const r of batch) s.add(r);
    const d = s.toJSON();
    assert.deepEqual(
      { files: d.files, lines: d.lines, events: d.events, skipped: s.skipped },
      { files: 118, lines: 12_019, events: 12_017, skipped: 2 }
    );
    assert.deepEqual(d.eventsByType, {
      simulation_start: 5628,
      simulation_end: 4326,
      session_start: 879,
      session_end: 518,
      error: 666,
    });
    assert.deepEqual(Object.fromEntries(Object.entries(d.skips).map(([k, v]) => [k, v.count])), { no_time: 2 });
    assert.deepEqual(Object.fromEntries(Object.entries(d.notes).map(([k, v]) => [k, v.count])), { time_inferred: 666 });
  });

  it("one record at a time gives the batches' records, in the same order", async () => {
    const one: ImportRecord[] = [];
    for await (const r of readImport(PARTS)) one.push(r);
    const batched: ImportRecord[] = [];
    for await (const batch of readImportBatches(PARTS)) batched.push(...batch);
    assert.equal(one.length, 12_019);
    assert.deepEqual(one, batched);
  });
});
