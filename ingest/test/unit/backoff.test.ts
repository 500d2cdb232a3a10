import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Backoff } from '../../src/deliver/backoff.js';

test('waits grow exponentially up to the cap, with full jitter', () => {
  const max = new Backoff(200, 5000, () => 0.999999);
  const ceilings = Array.from({ length: 8 }, () => max.next());
  assert.deepEqual(ceilings, [200, 400, 800, 1600, 3200, 5000, 5000, 5000]);
  const none = new Backoff(200, 5000, () => 0);
  assert.equal(none.next(), 0, 'full jitter reaches down to zero');
});

test("a server's Retry-After wins when it asks for longer, within reason", () => {
  const b = new Backoff(200, 5000, () => 0.5);
  assert.equal(b.next(30_000), 30_000);
  assert.equal(b.next(10), 200, 'a shorter Retry-After does not shorten the backoff');
  assert.equal(
    new Backoff(200, 5000, () => 0).next(10 * 3_600_000),
    50_000,
    'an absurd Retry-After is capped at 10× the cap'
  );
});

test('reset after a success starts over', () => {
  const b = new Backoff(100, 10_000, () => 0.999999);
  b.next();
  b.next();
  assert.equal(b.failures, 2);
  b.reset();
  assert.equal(b.next(), 100);
});
