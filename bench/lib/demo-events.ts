/** Realistic wire events from the project's own deterministic demo model (classroom-shaped traffic). */
import { generateDemo, type RawEvent } from 'kibotics-analytics/demo';

/** The first `count` events of `users` users' recent history, ending now (so the gateway accepts their times). */
export function demoEvents(count: number, users = 5000, seed = 7): RawEvent[] {
  const out: RawEvent[] = [];
  // ~12k events a day at 5,000 users: ask for enough days, stop at `count`.
  const days = Math.max(1, Math.ceil((count / (users * 2.4)) * 1.5));
  for (const e of generateDemo({ days, users, seed, end: Date.now() - 60_000 })) {
    out.push(e);
    if (out.length === count) break;
  }
  if (out.length < count) throw new Error(`the demo gave ${out.length} events, wanted ${count}`);
  return out;
}
