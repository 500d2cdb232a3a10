/**
 * The demo's people, built once from (seed, users): schools with computer rooms, classes (groups)
 * of 15–30 pupils with a teacher account each and a weekly timetable, a few pupils without a class,
 * and the site admin. Everything day-independent lives here, so backfill and live share it.
 */
import { addressIn, audienceAddress } from './addresses.js';
import { HOME_UA, LAB_UA } from './vocabulary.js';
import { Rng, hashSeed } from './random.js';

export interface Person {
  user: string;
  group?: string;
  role: 'student' | 'teacher' | 'independent' | 'admin';
  /** Address and user agent at home (or the teacher's own laptop). */
  homeIp: string;
  homeUa: string;
  /** How keen: multiplies the chance of home sessions (heavy-tailed: a few pupils do most of it). */
  keenness: number;
  /** Student attendance probability for class slots. */
  attendance: number;
}

export interface Slot {
  /** 0 = Monday … 4 = Friday. */
  weekday: number;
  /** Minutes after local midnight when the period starts. */
  start: number;
  /** Length in minutes. */
  length: number;
}

export interface SchoolClass {
  group: string;
  teacher: Person;
  students: Person[];
  slots: Slot[];
  /** The class's computer room: the school's one NAT address, one user agent for all machines. */
  labIp: string;
  labUa: string;
}

export interface Population {
  classes: SchoolClass[];
  /** Everyone with an account (teachers, pupils, independents, admin), in a fixed order. */
  people: Person[];
  independents: Person[];
  admin?: Person;
}

/**
 * Weekly period slots, as (weekday, start, weight). Spanish secondary periods are 55 minutes; the
 * corpus's logins pile up at 10:20–10:35 and 13:20–13:35 on Tuesdays and Fridays (Fri 10 h: 130
 * logins, Tue 13 h: 125, the next cell 62), with a Friday after-school peak at 17–18 h (a robotics
 * club). Weights follow those counts; they are dealt by smooth weighted round-robin, so any number
 * of classes gets the same shape (not just on average).
 */
const SLOT_DECK: ReadonlyArray<readonly [Slot, number]> = [
  [{ weekday: 4, start: 10 * 60 + 20, length: 55 }, 10],
  [{ weekday: 1, start: 13 * 60 + 20, length: 55 }, 9],
  [{ weekday: 1, start: 10 * 60 + 20, length: 55 }, 6],
  [{ weekday: 4, start: 13 * 60 + 20, length: 55 }, 6],
  [{ weekday: 4, start: 17 * 60, length: 90 }, 2], // after-school club
  [{ weekday: 0, start: 11 * 60 + 45, length: 55 }, 1],
  [{ weekday: 2, start: 12 * 60 + 40, length: 55 }, 1.5],
  [{ weekday: 2, start: 11 * 60 + 45, length: 55 }, 1],
  [{ weekday: 3, start: 13 * 60 + 20, length: 55 }, 1.5],
  [{ weekday: 3, start: 11 * 60 + 45, length: 55 }, 1],
  [{ weekday: 1, start: 17 * 60 + 30, length: 90 }, 0.5],
];

const LEVELS = ['5prim', '6prim', '1eso', '2eso', '3eso', '4eso', '1bach'];

/** A pupil's home, somewhere in Kibotics' audience. */
const homeAddress = audienceAddress;

/**
 * Smooth weighted round-robin (as nginx balances upstreams), started at a seed-chosen phase: every
 * prefix of the deal follows the weights closely, so a handful of classes or schools already shows
 * the intended mix instead of a lottery's.
 */
function roundRobin<T>(deck: ReadonlyArray<readonly [T, number]>, rng: Rng): () => T {
  const current = deck.map(() => rng.next());
  const total = deck.reduce((sum, [, w]) => sum + w, 0);
  return () => {
    let best = 0;
    for (let i = 0; i < deck.length; i++) {
      current[i]! += deck[i]![1];
      if (current[i]! > current[best]!) best = i;
    }
    current[best]! -= total;
    return deck[best]![0];
  };
}

export function buildPopulation(users: number, seed: number): Population {
  if (!Number.isInteger(users) || users < 1) throw new RangeError('users must be a positive integer');
  const rng = new Rng(hashSeed(seed, 'population', users));
  // Addresses draw from their own stream, so the population's shape does not depend on them.
  const addressRng = new Rng(hashSeed(seed, 'addresses', users));
  const width = Math.max(4, String(users).length);
  const pad = (n: number) => String(n).padStart(width, '0');
  let studentNo = 0;
  let teacherNo = 0;

  const person = (role: Person['role'], group?: string): Person => {
    const user =
      role === 'admin' ? 'admin' : role === 'teacher' ? `prof_${pad(++teacherNo)}` : `user_${pad(++studentNo)}`;
    // keenness: log-normal with mean 1 (sigma 1): the corpus's top user made 14 % of all lines.
    const keenness = Math.exp(rng.normal() - 0.5);
    return {
      user,
      ...(group !== undefined ? { group } : {}),
      role,
      homeIp: homeAddress(addressRng),
      homeUa: HOME_UA.pick(rng),
      keenness,
      attendance: 0.75 + rng.next() * 0.2,
    };
  };

  const people: Person[] = [];
  let remaining = users;
  let admin: Person | undefined;
  if (users >= 20) {
    admin = person('admin');
    people.push(admin);
    remaining--;
  }
  // About 5 % of accounts learn on their own (no class).
  const independentCount = Math.floor(remaining * 0.05);
  remaining -= independentCount;

  const dealSlot = roundRobin(SLOT_DECK, rng);
  const dealLabUa = roundRobin(LAB_UA.items, rng);

  const classes: SchoolClass[] = [];
  let school = 0;
  let classesLeftInSchool = 0;
  let labIp = '';
  let labUa = '';
  let letter = 0;
  let level = '';
  while (remaining >= 2) {
    if (classesLeftInSchool === 0) {
      school++;
      classesLeftInSchool = rng.int(2, 6);
      labIp = addressIn('ES', addressRng, 0); // the schools are Spanish; their computer rooms are behind IPv4 NAT
      letter = 0;
      level = rng.pick(LEVELS);
    }
    classesLeftInSchool--;
    labUa = dealLabUa(); // schools have several computer rooms; a class always uses the same one
    let size = rng.int(15, 30);
    if (remaining - (size + 1) < 16) {
      // Never leave a tiny class behind: take all that is left, or split it in two halves.
      size = remaining <= 31 ? remaining - 1 : Math.ceil(remaining / 2) - 1;
    }
    const group = `school${String(school).padStart(2, '0')}-${level}-${String.fromCharCode(97 + (letter++ % 26))}`;
    const teacher = person('teacher', group);
    const students: Person[] = [];
    for (let i = 0; i < size; i++) students.push(person('student', group));
    const slotCount = rng.chance(0.35) ? 2 : 1;
    const slots: Slot[] = [];
    while (slots.length < slotCount) {
      const s = dealSlot();
      if (!slots.includes(s)) slots.push(s);
    }
    classes.push({ group, teacher, students, slots, labIp, labUa });
    people.push(teacher, ...students);
    remaining -= size + 1;
  }
  const independents: Person[] = [];
  for (let i = 0; i < independentCount + remaining; i++) {
    const p = person('independent');
    p.keenness *= 1.5; // they only come from home
    independents.push(p);
    people.push(p);
  }
  return { classes, people, independents, ...(admin ? { admin } : {}) };
}
