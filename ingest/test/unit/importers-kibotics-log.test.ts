import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateEvent } from '../../src/events/validate.js';
import { KiboticsLogParser } from '../../src/importers/kibotics-log.js';
import type { LineOutcome } from '../../src/importers/records.js';

const UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:70.0) Gecko/20100101 Firefox/70.0';
const CONTAINER = 'a'.repeat(36) + '0123456789abcdef0123456789ab'; // 64 hex, a Docker id
const tz = 'Europe/Madrid';

function parseAll(lines: string[], fileName = '2020-01-14-log.txt'): LineOutcome[] {
  const p = new KiboticsLogParser({ timezone: tz, fileName });
  return lines.map((l) => p.parse(l));
}

function event(o: LineOutcome) {
  assert.ok('events' in o, `expected an event, got ${JSON.stringify(o)}`);
  assert.equal(o.events.length, 1);
  return o.events[0].event;
}

describe('KiboticsLogParser', () => {
  it('login and logout → session_start / session_end, local time of Madrid', () => {
    const [a, b] = parseAll([
      `1 | 14/01/2020 10:00:00 | user_0001 | 192.0.2.10 | ${UA}`,
      `2 | 14/01/2020 10:45:30 | user_0001 | 192.0.2.10 | ${UA}`,
    ]);
    assert.deepEqual(event(a), {
      type: 'session_start',
      time: Date.UTC(2020, 0, 14, 9),
      user: 'user_0001',
      client_ip: '192.0.2.10',
      user_agent: UA,
    });
    assert.deepEqual(event(b), {
      type: 'session_end',
      time: Date.UTC(2020, 0, 14, 9, 45, 30),
      user: 'user_0001',
      client_ip: '192.0.2.10',
      user_agent: UA,
    });
  });

  it('exercise start with NINE fields: the container sits between host and user agent', () => {
    const [o] = parseAll([
      `3 | 14/01/2020 10:01:00 | user_0002 | 2001:db8::7 | simulator | sigue_linea_f1 | 192.0.2.200 | ${CONTAINER} | ${UA}`,
    ]);
    assert.deepEqual(event(o), {
      type: 'simulation_start',
      time: Date.UTC(2020, 0, 14, 9, 1),
      user: 'user_0002',
      client_ip: '2001:db8::7',
      simulation_type: 'simulator',
      exercise: 'sigue_linea_f1',
      host: '192.0.2.200',
      container: CONTAINER,
      user_agent: UA,
    });
  });

  it('exercise end with 8 fields (no user agent) and with an empty user agent (" | " at the end)', () => {
    const eight = `4 | 14/01/2020 10:20:00 | user_0002 | 192.0.2.11 | simulator | sigue_linea_ir | 192.0.2.200 | ${CONTAINER}`;
    const emptyUa = `${eight} | `;
    const trimmed = `${eight} |`;
    for (const line of [eight, emptyUa, trimmed]) {
      const e = event(parseAll([line])[0]);
      assert.equal(e.type, 'simulation_end');
      assert.equal(e.container, CONTAINER, line);
      assert.equal(e.user_agent, undefined, line);
      assert.equal(e.exercise, 'sigue_linea_ir');
    }
  });

  it("an 8-field line in the thesis' documented shape (user agent, no container) keeps the user agent", () => {
    const e = event(
      parseAll([`3 | 14/01/2020 10:01:00 | user_0003 | 192.0.2.12 | simulator | gato_raton | 192.0.2.200 | ${UA}`])[0]
    );
    assert.equal(e.user_agent, UA);
    assert.equal(e.container, undefined);
  });

  it('websim: the host (the client itself) is not copied; placeholders are no container', () => {
    const e = event(
      parseAll([
        `3 | 14/01/2020 11:00:00 | user_0004 | 192.0.2.13 | websim | SSPib004 | 192.0.2.13 | [NO CONTAINER] Browser | ${UA}`,
      ])[0]
    );
    assert.equal(e.host, undefined);
    assert.equal(e.container, undefined);
    assert.equal(e.client_ip, '192.0.2.13');
    assert.equal(e.exercise, 'SSPib004');
    const real = event(
      parseAll([
        `4 | 14/01/2020 11:00:00 | user_0004 | 192.0.2.13 | real | mbot_1 | 192.0.2.201 | [REAL ROBOT] NO CONTAINER | ${UA}`,
      ])[0]
    );
    assert.equal(real.host, '192.0.2.201');
    assert.equal(real.container, undefined);
    const empty = event(
      parseAll([`4 | 14/01/2020 11:00:00 | user_0004 | 192.0.2.13 | real | mbot_1 | 192.0.2.201 |  | ${UA}`])[0]
    );
    assert.equal(empty.container, undefined);
    assert.equal(empty.user_agent, UA);
  });

  it('AnonymusUser and crawler user agents stay as they are (validation and enrichment decide)', () => {
    const bot = 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)';
    const e = event(
      parseAll([
        `3 | 14/01/2020 12:00:00 | AnonymusUser | 198.51.100.9 | websim | SSPib004 | 198.51.100.9 | [NO CONTAINER] Browser | ${bot}`,
      ])[0]
    );
    assert.equal(e.user, 'AnonymusUser');
    assert.equal(e.user_agent, bot);
    const v = validateEvent(e, Date.UTC(2026, 0, 1));
    assert.ok(v.ok);
    assert.equal(v.event.user, undefined, 'validation maps AnonymusUser to anonymous');
  });

  it("error lines (codes 5 and 6) take the previous line's time, +1 ms per consecutive error", () => {
    const out = parseAll([
      `1 | 14/01/2020 10:00:00 | user_0001 | 192.0.2.10 | ${UA}`,
      '5 | 500 Internal Server Error',
      '6 | 500 Internal Server Error',
      '5 | 500 Internal Server Error',
      `2 | 14/01/2020 10:30:00 | user_0001 | 192.0.2.10 | ${UA}`,
      '5 | 500 Internal Server Error',
    ]);
    const t = Date.UTC(2020, 0, 14, 9);
    const errors = [1, 2, 3, 5].map((i) => {
      const o = out[i];
      assert.ok('events' in o);
      assert.deepEqual(o.events[0].notes, ['time_inferred']);
      return o.events[0].event;
    });
    assert.deepEqual(errors[0], { type: 'error', time: t, status: 500, message: '500 Internal Server Error' });
    assert.deepEqual(
      errors.map((e) => e.time),
      [t, t + 1, t + 2, t + 30 * 60_000]
    );
  });

  it('errors on either side of a dated line of the same second still get distinct times', () => {
    const out = parseAll([
      `3 | 14/01/2020 10:00:00 | user_0001 | 192.0.2.10 | simulator | ex_1 | 192.0.2.200 | ${CONTAINER} | ${UA}`,
      '5 | 500 Internal Server Error',
      `4 | 14/01/2020 10:00:00 | user_0001 | 192.0.2.10 | simulator | ex_1 | 192.0.2.200 | ${CONTAINER} | ${UA}`,
      '5 | 500 Internal Server Error',
    ]);
    const t = Date.UTC(2020, 0, 14, 9);
    assert.deepEqual(
      [out[1], out[3]].map((o) => ('events' in o ? o.events[0].event.time : o)),
      [t, t + 1]
    );
  });

  it("error lines before any dated line take 00:00:00 local of the file's date; without a dated name, no_time", () => {
    const out = parseAll(['5 | 500 Internal Server Error', '5 | 500 Internal Server Error'], 'logs/2019-11-10-log.txt');
    assert.deepEqual(
      out.map((o) => ('events' in o ? o.events[0].event.time : o)),
      [Date.UTC(2019, 10, 9, 23), Date.UTC(2019, 10, 9, 23) + 1]
    );
    assert.deepEqual(parseAll(['5 | 500 Internal Server Error'], 'upload.txt'), [{ skip: 'no_time' }]);
  });

  it('skips with stable reasons and keeps going', () => {
    const out = parseAll([
      '',
      '   ',
      `9 | 14/01/2020 10:00:00 | user_0001 | 192.0.2.10 | ${UA}`,
      'garbage without separators',
      '1 | 14/01/2020 10:00:00 | user_0001',
      '3 | 14/01/2020 10:00:00 | user_0001 | 192.0.2.10 | simulator | ex',
      `1 | 2020-01-14 10:00:00 | user_0001 | 192.0.2.10 | ${UA}`,
      `1 | 31/02/2020 10:00:00 | user_0001 | 192.0.2.10 | ${UA}`,
      `1 | 14/01/2020 10:00:00 | user_0001 | 192.0.2.10 | ${UA}`,
    ]);
    assert.deepEqual(out.slice(0, 8), [
      { skip: 'blank' },
      { skip: 'blank' },
      { skip: 'unknown_code' },
      { skip: 'unknown_code' },
      { skip: 'too_few_fields' },
      { skip: 'too_few_fields' },
      { skip: 'bad_date' },
      { skip: 'bad_date' },
    ]);
    assert.equal(event(out[8]).type, 'session_start');
  });

  it('a CRLF line loses its \\r', () => {
    const e = event(parseAll([`1 | 14/01/2020 10:00:00 | user_0001 | 192.0.2.10 | ${UA}\r`])[0]);
    assert.equal(e.user_agent, UA);
  });

  it("resolves the repeated autumn hour from the file's order (2019-10-27)", () => {
    const line = (t: string) =>
      `3 | 27/10/2019 ${t} | user_0005 | 192.0.2.14 | websim | ex_1 | 192.0.2.14 | [NO CONTAINER] Browser | ${UA}`;
    const out = parseAll(
      [line('02:59:00'), line('02:00:00'), '5 | 500 Internal Server Error', line('02:30:00')],
      '2019-10-27-log.txt'
    );
    const times = out.map((o) => ('events' in o ? o.events[0].event.time : NaN));
    assert.deepEqual(times, [
      Date.UTC(2019, 9, 27, 0, 59),
      Date.UTC(2019, 9, 27, 1),
      Date.UTC(2019, 9, 27, 1),
      Date.UTC(2019, 9, 27, 1, 30),
    ]);
    assert.ok('events' in out[1]);
    assert.deepEqual(out[1].events[0].notes, ['dst_repeat_second']);
  });

  it('shifts a time in the missing spring hour forward and says so (2020-03-29)', () => {
    const [o] = parseAll([`1 | 29/03/2020 02:30:00 | user_0006 | 192.0.2.15 | ${UA}`], '2020-03-29-log.txt');
    assert.ok('events' in o);
    assert.equal(o.events[0].event.time, Date.UTC(2020, 2, 29, 1, 30)); // 03:30 CEST
    assert.deepEqual(o.events[0].notes, ['dst_gap_shifted']);
  });

  it('a " | " inside the last field (user agent, error message) stays in it, trimmed', () => {
    const odd = 'Mozilla/5.0 (X11) | Odd | Agent';
    const [login, sim, err] = parseAll([
      `1 | 14/01/2020 10:00:00 | user_0001 | 192.0.2.10 | ${odd}  `,
      `3 | 14/01/2020 10:01:00 | user_0001 | 192.0.2.10 | simulator | ex_2 | 192.0.2.200 | ${CONTAINER} | ${odd}`,
      '5 | 500 Internal Server Error | at /exercise/ ',
    ]);
    assert.equal(event(login).user_agent, odd);
    assert.equal(event(sim).user_agent, odd);
    assert.equal(event(sim).container, CONTAINER);
    assert.equal(event(err).message, '500 Internal Server Error | at /exercise/');
  });

  it('events are plain objects with their keys in a fixed order (identical imports give identical JSON)', () => {
    const [sim, err] = parseAll([
      `3 | 14/01/2020 10:01:00 | user_0002 | 192.0.2.10 | simulator | ex_2 | 192.0.2.200 | ${CONTAINER} | ${UA}`,
      '5 | 500 Internal Server Error',
    ]);
    assert.equal(Object.getPrototypeOf(event(sim)), Object.prototype);
    assert.deepEqual(Object.keys(event(sim)), [
      'type',
      'time',
      'user',
      'client_ip',
      'simulation_type',
      'exercise',
      'host',
      'container',
      'user_agent',
    ]);
    assert.deepEqual(Object.keys(event(err)), ['type', 'time', 'status', 'message']);
  });

  it('every event it makes passes validateEvent', () => {
    const out = parseAll([
      `1 | 14/01/2020 10:00:00 | user_0001 | 192.0.2.10 | ${UA}`,
      `3 | 14/01/2020 10:01:00 | user_0001 | 192.0.2.10 | simulator | ex_2 | 192.0.2.200 | ${CONTAINER} | ${UA}`,
      `4 | 14/01/2020 10:05:00 | user_0001 | 192.0.2.10 | simulator | ex_2 | 192.0.2.200 | ${CONTAINER}`,
      '5 | 500 Internal Server Error',
      `2 | 14/01/2020 10:09:00 | user_0001 | 192.0.2.10 | `,
    ]);
    for (const o of out) {
      const v = validateEvent(event(o), Date.UTC(2026, 0, 1));
      assert.ok(v.ok, JSON.stringify(v));
    }
  });
});
