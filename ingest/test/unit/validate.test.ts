import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validateEvent } from '../../src/events/validate.js';

const NOW = Date.UTC(2020, 0, 14, 10);
const ok = (input: unknown) => {
  const r = validateEvent(input, NOW);
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  return r.event;
};
const fails = (input: unknown, message: RegExp) => {
  const r = validateEvent(input, NOW);
  assert.ok(!r.ok, 'expected a rejection');
  assert.match(r.error.message, message);
};

describe('time', () => {
  test('RFC 3339 with an offset and epoch milliseconds', () => {
    assert.equal(ok({ type: 'visit', time: '2020-01-14T10:15:00+01:00' }).time, Date.UTC(2020, 0, 14, 9, 15));
    assert.equal(ok({ type: 'visit', time: '2020-01-14T09:15:00.250Z' }).time, Date.UTC(2020, 0, 14, 9, 15, 0, 250));
    assert.equal(ok({ type: 'visit', time: 1578990000000 }).time, 1578990000000);
  });
  test('defaults to the time received', () => assert.equal(ok({ type: 'visit' }).time, NOW));
  test('a time without an offset is ambiguous and refused', () =>
    fails({ type: 'visit', time: '2020-01-14T10:15:00' }, /^time: must be RFC 3339/));
  test('more than a few minutes ahead is refused', () =>
    fails({ type: 'visit', time: NOW + 10 * 60_000 }, /^time: is more than 5 minutes in the future/));
  test('seconds instead of milliseconds are caught', () =>
    fails({ type: 'visit', time: 1579000000 }, /^time: is before 2010-01-01/));
  test('the past is accepted (backfill)', () =>
    assert.equal(ok({ type: 'visit', time: '2015-06-01T00:00:00Z' }).time, Date.UTC(2015, 5, 1)));
  test('impossible dates are refused, not rolled over to the next day', () => {
    // All before NOW, so nothing but the calendar can refuse them.
    for (const time of [
      '2019-02-29T10:00:00Z',
      '2019-02-31T10:00:00Z',
      '2019-11-31T10:00:00+01:00',
      '2019-06-01T24:00:00Z',
      '2019-06-01T10:60:00Z',
      '2019-06-01T10:00:60Z',
      '2019-13-01T10:00:00Z',
      '2019-06-00T10:00:00Z',
    ]) {
      fails({ type: 'visit', time }, /^time: is not a real date$/);
    }
    assert.equal(
      ok({ type: 'visit', time: '2016-02-29T23:59:59.999Z' }).time,
      Date.UTC(2016, 1, 29, 23, 59, 59, 999),
      'a real leap day'
    );
    assert.equal(
      ok({ type: 'visit', time: '2019-12-31 23:30:00-01:00' }).time,
      Date.UTC(2020, 0, 1, 0, 30),
      'a space for T'
    );
  });
  test('a wrong type names the field', () =>
    fails({ type: 'visit', time: true }, /^time: must be an RFC 3339 string or epoch milliseconds, got boolean/));
});

describe('started_at', () => {
  const end = { type: 'session_end', user: 'ana', time: NOW };
  test('an end may carry its start time, in either format', () => {
    assert.equal(ok({ ...end, started_at: NOW - 60_000 }).started_at, NOW - 60_000);
    assert.equal(ok({ ...end, started_at: '2020-01-14T10:00:00+01:00' }).started_at, NOW - 3_600_000);
    assert.equal(
      ok({ type: 'simulation_end', user: 'ana', simulation_type: 'websim', exercise: 'x', started_at: NOW }).started_at,
      NOW
    );
    assert.equal(ok(end).started_at, undefined);
  });
  test('after the end is refused', () =>
    fails({ ...end, started_at: NOW + 1 }, /^started_at: is after the end's time/));
  test('checked like time, named as itself', () => {
    fails({ ...end, started_at: '2020-01-14T10:00:00' }, /^started_at: must be RFC 3339/);
    fails({ ...end, started_at: 1579000000 }, /^started_at: is before 2010-01-01/);
    fails({ ...end, started_at: false }, /^started_at: must be an RFC 3339 string or epoch milliseconds, got boolean/);
  });
  test('only on ends', () => {
    fails(
      { type: 'session_start', user: 'ana', started_at: NOW },
      /^started_at: is not a field of session_start events/
    );
    fails({ type: 'visit', started_at: NOW }, /^started_at: is not a field of visit events/);
  });
});

describe('required fields and types', () => {
  test('type is required and must be known', () => {
    fails({}, /^type: is required/);
    fails({ type: 'login' }, /^type: must be one of session_start, session_end/);
  });
  test('user is required for sessions and simulations', () => {
    fails({ type: 'session_start' }, /^user: is required for session_start events/);
    fails({ type: 'simulation_end', user: 'ana', exercise: 'x' }, /^simulation_type: is required/);
  });
  test('the anonymous placeholders mean no user', () => {
    assert.equal(
      ok({ type: 'simulation_start', user: 'AnonymusUser', simulation_type: 'websim', exercise: 'x' }).user,
      undefined
    );
    assert.equal(ok({ type: 'session_start', user: 'AnonymousUser' }).user, undefined);
  });
  test('a number where a string belongs', () =>
    fails({ type: 'session_start', user: 42 }, /^user: must be a string, got number/));
  test('an object where a string belongs', () =>
    fails({ type: 'session_start', user: { $gt: '' } }, /^user: must be a string, got an object/));
  test('unknown fields are refused by name', () =>
    fails({ type: 'visit', colour: 'red' }, /^colour: is not a known field/));
  test('a field of another event type', () =>
    fails({ type: 'visit', exercise: 'x' }, /^exercise: is not a field of visit events/));
  test('not an object', () => {
    fails('hello', /^event: must be a JSON object, got string/);
    fails([1], /^event: must be a JSON object, got an array/);
    fails(null, /^event: must be a JSON object, got null/);
  });
  test('status is an HTTP status code', () => {
    assert.equal(ok({ type: 'error', status: 503 }).status, 503);
    fails({ type: 'error', status: 42 }, /^status: must be an HTTP status code/);
  });
  test('client_ip must be an address and is never echoed', () => {
    assert.equal(ok({ type: 'visit', client_ip: '2001:db8::1' }).client_ip, '2001:db8::1');
    assert.equal(ok({ type: 'visit', client_ip: 'fe80::1%eth0' }).client_ip, 'fe80::1');
    const r = validateEvent({ type: 'visit', client_ip: '999.1.2.3' }, NOW);
    assert.ok(!r.ok && !r.error.message.includes('999.1.2.3'));
  });
});

describe('untrusted text', () => {
  test('control characters in names are refused', () =>
    fails({ type: 'session_start', user: 'ana\nsession_start,user=x count=1i' }, /^user: contains control characters/));
  test('control characters in free text become spaces', () => {
    assert.equal(
      ok({ type: 'error', message: 'Traceback:\n  line 1\r\n\u0000end' }).message,
      'Traceback:   line 1 end'
    );
  });
  test('lone surrogates become U+FFFD', () =>
    assert.equal(ok({ type: 'session_start', user: 'a\ud800b' }).user, 'a\ufffdb'));
  test('lengths are limited', () =>
    fails({ type: 'session_start', user: 'x'.repeat(151) }, /^user: longer than 150 characters/));
  test('blank optional text is absent', () =>
    assert.equal(ok({ type: 'visit', user_agent: '   ' }).user_agent, undefined));
  test('spaces, commas, equals, quotes, accents and emoji are kept', () => {
    const name = 'José María, "el=1" 🤖';
    assert.equal(ok({ type: 'session_start', user: name }).user, name);
  });
});
