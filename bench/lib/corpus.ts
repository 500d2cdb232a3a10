/** The real Kibotics logs, read where they live at bench time (never copied into the repository). */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** From KIBOTICS_LOGS (there is no default: the corpus lives outside the repository). */
export const CORPUS = process.env.KIBOTICS_LOGS?.trim() ? resolve(process.env.KIBOTICS_LOGS.trim()) : undefined;
/** The three parts of the corpus the importers read (README.md next to them is not a log). */
const CORPUS_PARTS = ['temporalDir', 'FINAL', 'access_log_django.txt'].map((p) => join(CORPUS ?? '.', p));

/** Scenarios that read the corpus call this first: it throws, saying how to run them, when it is absent. */
export function requireCorpus(): string[] {
  if (CORPUS === undefined) throw new Error('needs the real logs: run with KIBOTICS_LOGS=/path/to/kibotics-logs');
  const missing = CORPUS_PARTS.filter((p) => !existsSync(p));
  if (missing.length > 0) throw new Error(`KIBOTICS_LOGS=${CORPUS} lacks ${missing.join(', ')}`);
  return CORPUS_PARTS;
}
