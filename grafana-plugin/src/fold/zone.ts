/**
 * Time zone offsets without per-point Intl calls: the offset is sampled once a day across the range
 * and each change is narrowed to the minute, which gives the zone's transitions in a few hundred
 * Intl calls per year of range. Two transitions within the same UTC day are not told apart.
 */

import { DAY, MINUTE, zoneOffsetAt } from '@kibotics/schema/zone';

/** Grafana zone values ("utc", "browser", "" / "default") → an IANA name Intl understands. */
export function resolveTimeZone(zone: string | undefined): string {
  const name = (zone ?? '').trim();
  if (name === '' || name === 'browser' || name === 'default') {
    return Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
  }
  if (name.toLowerCase() === 'utc') {
    return 'UTC';
  }
  // Throws RangeError for names Intl does not know: better said than folded in the wrong zone.
  return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
}

/** The zone's offsets over a span: offsets[i] holds from starts[i] until starts[i + 1]. */
export interface OffsetTimeline {
  starts: number[];
  offsets: number[];
}

export function offsetTimeline(zone: string, from: number, to: number): OffsetTimeline {
  const first = Math.floor(from / DAY) * DAY - DAY;
  const timeline: OffsetTimeline = { starts: [-Infinity], offsets: [zoneOffsetAt(zone, first)] };
  if (zone === 'UTC') {
    return timeline;
  }
  let previous = first;
  let previousOffset = timeline.offsets[0];
  for (let t = first + DAY; t <= to + DAY; t += DAY) {
    const offset = zoneOffsetAt(zone, t);
    if (offset !== previousOffset) {
      timeline.starts.push(findTransition(zone, previous, t, previousOffset));
      timeline.offsets.push(offset);
    }
    previous = t;
    previousOffset = offset;
  }
  return timeline;
}

/** First minute in (before, after] whose offset differs from offsetBefore. */
function findTransition(zone: string, before: number, after: number, offsetBefore: number): number {
  let low = before;
  let high = after;
  while (high - low > MINUTE) {
    const middle = low + Math.floor((high - low) / 2 / MINUTE) * MINUTE;
    if (zoneOffsetAt(zone, middle) === offsetBefore) {
      low = middle;
    } else {
      high = middle;
    }
  }
  return high;
}

/** Reads offsets for instants in ascending order in O(1) each (binary search when going back). */
export function offsetReader(timeline: OffsetTimeline): (t: number) => number {
  const { starts, offsets } = timeline;
  let index = 0;
  return (t: number) => {
    if (t < starts[index] || (index + 1 < starts.length && t >= starts[index + 1])) {
      index = segmentOf(starts, t);
    }
    return offsets[index];
  };
}

function segmentOf(starts: number[], t: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle] <= t) {
      low = middle;
    } else {
      high = middle - 1;
    }
  }
  return low;
}
