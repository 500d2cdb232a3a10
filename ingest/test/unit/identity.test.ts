import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EVENT_FIELDS, EVENT_TYPES } from '@kibotics/schema';
import { identify } from '../../src/events/identity.js';
import type { KiboticsEvent } from '../../src/events/types.js';

const T = Date.UTC(2025, 2, 10, 9, 30);

/**
 * Identities computed by the first release's identify() (its content list written out by hand):
 * events already stored keep these keys, so a re-post or re-import of one is still a repeat.
 */
const STORED: Array<[KiboticsEvent, key: string, start: number]> = [
  [
    {
      type: 'session_start',
      time: T,
      user: 'ana',
      group: '1ESO-A',
      session_id: 's1',
      user_agent: 'Mozilla/5.0 Firefox/120.0',
      client_ip: '10.0.0.1',
    },
    '9e23b50498e60f9b',
    531975,
  ],
  [{ type: 'session_start', time: T, user: 'ana' }, '1f4c040d1f4f8d09', 35015],
  [{ type: 'session_end', time: T + 60_000, user: 'ana', reason: 'logout' }, 'a90f8dfd9e49324b', 745535],
  [{ type: 'session_end', time: T + 60_000, user: 'ana', reason: 'logout', started_at: T }, '4a3d214a710d1c1a', 725152],
  [
    {
      type: 'simulation_start',
      time: T,
      user: 'ana',
      group: '1ESO-A',
      simulation_type: 'gazebo',
      exercise: 'sigue_linea_f1',
      host: 'sim-3',
      container: 'c-17',
    },
    'f7cd7513cc1319b8',
    430609,
  ],
  [
    {
      type: 'simulation_end',
      time: T + 600_000,
      user: 'ana',
      simulation_type: 'gazebo',
      exercise: 'sigue_linea_f1',
      host: 'sim-3',
      started_at: T,
    },
    '261c808d412d4e88',
    342424,
  ],
  [{ type: 'visit', time: T, path: '/exercises/', referrer: 'https://kibotics.org/' }, 'ab19bd0990182485', 499238],
  [{ type: 'error', time: T, status: 502, path: '/api', message: 'Bad gateway' }, '1b078c2280187abb', 247649],
  [{ type: 'visit', time: T, id: 'client-key-1' }, '33bfe17ac7663d30', 565952],
  [{ type: 'session_start', time: T, stamped: true }, '', 527492],
];

test('events stored before one spec per type keep their identities, byte for byte', () => {
  for (const [event, key, start] of STORED) {
    const identity = identify(event);
    assert.deepEqual([identity.key.toString('hex'), identity.start], [key, start], JSON.stringify(event));
  }
});

test('every field of every type is in the identity, except those the contract leaves out', () => {
  // Forgetting one would drop events differing only in it as repeats: each field must change the key.
  for (const type of EVENT_TYPES) {
    const base = { type, time: T, user: 'ana' } as KiboticsEvent;
    for (const [field, rule] of Object.entries(EVENT_FIELDS)) {
      if (field === 'id') continue; // the identity by itself (first test)
      const value = rule.read === 'time' ? T - 1000 : rule.read === 'status' ? 503 : 'x';
      const changed = identify({ ...base, [field]: value } as KiboticsEvent).key;
      const counted = !('identity' in rule && rule.identity === false);
      assert.equal(!changed.equals(identify(base).key), counted, `${type}.${field}`);
    }
  }
});
