/**
 * Grafana's mute timings (Alertmanager's time intervals) evaluated at an instant, as Alertmanager
 * does: an interval matches when every field it sets matches (times: start inclusive, end
 * exclusive; weekdays, days of month, months and years: inclusive ranges), in its `location`:
 * TimeInterval.ContainsTime in prometheus/alertmanager timeinterval/timeinterval.go (negative days of
 * the month, counted from its end, are not used here and not modelled).
 */
export interface TimeInterval {
  times?: Array<{ start_time: string; end_time: string }>;
  weekdays?: string[];
  days_of_month?: string[];
  months?: string[];
  years?: string[];
  location?: string;
}

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

function local(instant: number, zone: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      weekday: 'long',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    })
      .formatToParts(instant)
      .map((p) => [p.type, p.value])
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: WEEKDAYS.indexOf(parts.weekday!.toLowerCase()),
    minute: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** Whether `value` is in one of the ranges (`a`, or `a:b` inclusive), names turned into numbers by `index`. */
function inRanges(ranges: string[], value: number, index: (name: string) => number = Number): boolean {
  return ranges.some((range) => {
    const [from, to = from] = range.split(':').map((s) => index(s.trim()));
    if (!Number.isFinite(from) || !Number.isFinite(to)) throw new Error(`cannot read the range ${range}`);
    return value >= from! && value <= to!;
  });
}

const hhmm = (text: string) => {
  const [h, m] = text.split(':').map(Number);
  return h! * 60 + m!;
};

export function matches(interval: TimeInterval, instant: number): boolean {
  const t = local(instant, interval.location ?? 'UTC');
  if (interval.times && !interval.times.some((r) => t.minute >= hhmm(r.start_time) && t.minute < hhmm(r.end_time)))
    return false;
  if (interval.weekdays && !inRanges(interval.weekdays, t.weekday, (n) => WEEKDAYS.indexOf(n))) return false;
  if (interval.days_of_month?.some((d) => d.trim().startsWith('-')))
    throw new Error('negative days of the month are not modelled here');
  if (interval.days_of_month && !inRanges(interval.days_of_month, t.day)) return false;
  if (
    interval.months &&
    !inRanges(interval.months, t.month, (n) => (/^\d+$/.test(n) ? Number(n) : MONTHS.indexOf(n) + 1))
  )
    return false;
  if (interval.years && !inRanges(interval.years, t.year)) return false;
  return true;
}

/** Whether any of the named mute timings mutes notifications at `instant`. */
export function muted(
  timings: Array<{ name: string; time_intervals: TimeInterval[] }>,
  names: string[],
  instant: number
): boolean {
  return timings.filter((m) => names.includes(m.name)).some((m) => m.time_intervals.some((i) => matches(i, instant)));
}
