/**
 * Local time in an IANA zone, from Intl alone (no date library), as the gateway, the importers and
 * the panel must all read it: the 15-minute roll-ups fold into any zone's hours only if every part
 * agrees on the offset at an instant. Times are epoch ms; a "wall" time is the local wall-clock
 * fields read as if they were UTC.
 */

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Wall-clock fields read as if they were UTC: the "wall ms" the zone code speaks. */
export function wallMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number {
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Throws RangeError for a zone Intl does not know: better said than read in the wrong zone. */
function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** Checks a zone name, throwing RangeError for one Intl does not know; returns its canonical name. */
export function checkZone(zone: string): string {
  return formatterFor(zone).resolvedOptions().timeZone;
}

/**
 * The offset of local wall time from UTC at instant t, in ms, east positive (Madrid in summer:
 * +2 h). Exact but one Intl call each: callers cache per hour or per transition.
 */
export function zoneOffsetAt(zone: string, t: number): number {
  if (zone === 'UTC') return 0;
  const seconds = t - (((t % 1000) + 1000) % 1000); // whole seconds: the formatter has no milliseconds
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  let second = 0;
  // A switch rather than a record of parts: the importers call this on their hot path.
  for (const part of formatterFor(zone).formatToParts(seconds)) {
    switch (part.type) {
      case 'year':
        year = Number(part.value);
        break;
      case 'month':
        month = Number(part.value);
        break;
      case 'day':
        day = Number(part.value);
        break;
      case 'hour':
        hour = Number(part.value);
        break;
      case 'minute':
        minute = Number(part.value);
        break;
      case 'second':
        second = Number(part.value);
        break;
    }
  }
  return wallMs(year, month, day, hour % 24, minute, second) - seconds;
}
