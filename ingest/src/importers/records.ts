/**
 * What every importer speaks: one input line → events (wire-shaped, NOT yet validated) or a skip.
 * The pipeline passes each event through validateEvent, so imports and live events meet one contract.
 */
import type { KiboticsEvent } from '../events/types.js';
import type { TimeNote } from './localtime.js';

/**
 * A raw event with the wire field names of KiboticsEvent. Unvalidated: `user` may still be
 * `AnonymusUser`, an IP may be malformed; validateEvent decides.
 */
export type WireEvent = KiboticsEvent;

/** Why a line gave no event: short stable codes the summary counts and the CLI prints. */
export type SkipReason =
  | 'blank'
  | 'unknown_code' // kibotics log: the first field is not 1–6; old log: not New/End Simulation or Error
  | 'too_few_fields'
  | 'bad_date'
  | 'no_time' // no timestamp and nothing to infer one from
  | 'bad_json'
  | 'not_an_object'
  | 'unknown_collection' // mongoexport line whose collection is not known (file name / option)
  | 'unknown_index' // Elasticsearch document whose index is not known (_index / file name / option)
  | 'unknown_format'; // the file's format could not be recognised

/** Something decided about an event that a person checking the import may want to see. */
export type NoteCode =
  | TimeNote
  /** A line without a timestamp (Kibotics' error lines): time taken from the previous line or the file's date. */
  | 'time_inferred'
  /** An Elasticsearch document without end_date: end = start + duration. */
  | 'end_from_duration';

export interface ParsedEvent {
  event: WireEvent;
  notes?: NoteCode[];
}

/** One line's outcome; a line can give two events (an Elasticsearch session: start and end). */
export type LineOutcome = { events: ParsedEvent[] } | { skip: SkipReason };

/** Parses the lines of ONE file, in order (some formats carry state from line to line). */
export interface LineParser {
  parse(line: string): LineOutcome;
}

export type ImportRecord =
  | { file: string; line: number; event: WireEvent; notes?: NoteCode[] }
  | { file: string; line: number; skip: SkipReason };

export function skip(reason: SkipReason): LineOutcome {
  return { skip: reason };
}

export function one(event: WireEvent, note?: NoteCode): LineOutcome {
  return { events: [note === undefined ? { event } : { event, notes: [note] }] };
}
