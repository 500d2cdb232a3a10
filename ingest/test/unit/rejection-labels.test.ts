import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EVENTS, EVENT_TYPES } from '@kibotics/schema';
import { Accept } from '../../src/pipeline/accept.js';

const T = Date.UTC(2025, 2, 10, 9, 30);
const accept = new Accept({ now: () => T }); // no submit: a dry run, validation and counting only

// A valid event of each type, to spoil one field at a time.
function valid(type: (typeof EVENT_TYPES)[number]): Record<string, unknown> {
  const event: Record<string, unknown> = { type, time: T };
  for (const field of EVENTS[type].required) event[field] = 'x';
  return event;
}

test('a refusal is labelled by the field at fault, for every field of every type (never unknown_field)', async () => {
  for (const type of EVENT_TYPES) {
    assert.equal((await accept.accept([{ at: 0, raw: valid(type) }])).rejected.length, 0, `a valid ${type}`);
    for (const field of EVENTS[type].fields) {
      const raw = { ...valid(type), [field]: { not: 'a value' } };
      const { rejected } = await accept.accept([{ at: 0, raw }]);
      assert.equal(rejected.length, 1, `${type}.${field} with an object is refused`);
      assert.equal(rejected[0].reason, field, `${type}.${field}: ${rejected[0].error}`);
    }
  }
});

test('a field no type knows is labelled unknown_field; a known field of another type by its name', async () => {
  const unknown = await accept.accept([{ at: 0, raw: { ...valid('visit'), favourite_robot: 'x' } }]);
  assert.equal(unknown.rejected[0]?.reason, 'unknown_field');
  const misplaced = await accept.accept([{ at: 0, raw: { ...valid('visit'), exercise: 'x' } }]);
  assert.equal(misplaced.rejected[0]?.reason, 'exercise');
});
