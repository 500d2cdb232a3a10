/**
 * The Spanish school calendar, roughly as a Madrid school lives it: national and Madrid holidays,
 * Christmas, Easter week and the summer break. Classes meet only on school days; home use carries on
 * everywhere else, quieter (the corpus: 34 logins over the 18 Christmas days against ~8 a day in term).
 */
import { dayNumber, fromDayNumber } from './time.js';

export type DayKind = 'school' | 'weekend' | 'holiday' | 'summer';

/** Gregorian Easter Sunday (anonymous algorithm, Meeus/Jones/Butcher), as a day number. */
export function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return dayNumber(year, month, day);
}

// Fixed public holidays (national + Comunidad de Madrid): month * 100 + day.
const FIXED_HOLIDAYS = new Set([101, 106, 501, 502, 815, 1012, 1101, 1206, 1208, 1225]);

export function dayKind(dayNum: number): DayKind {
  const d = fromDayNumber(dayNum);
  const md = d.month * 100 + d.day;
  if (md >= 624 && md <= 907) return 'summer';
  if (md >= 1223 || md <= 107) return 'holiday';
  const easter = easterSunday(d.year);
  if (dayNum >= easter - 9 && dayNum <= easter + 1) return 'holiday'; // Friday before Palm Sunday … Easter Monday
  if (FIXED_HOLIDAYS.has(md)) return 'holiday';
  if (d.weekday >= 5) return 'weekend';
  return 'school';
}
