/** The real Kibotics logs, read where they live at bench time (never copied into the repository). */
import { existsSync } from 'node:fs';

export const CORPUS = process.env.KIBOTICS_LOGS ?? '/work/shared/data/kibotics-logs';
/** The three parts of the corpus the importers read (README.md next to them is not a log). */
export const CORPUS_PARTS = ['temporalDir', 'FINAL', 'access_log_django.txt'].map((p) => `${CORPUS}/${p}`);

export function corpusAvailable(): boolean {
  return CORPUS_PARTS.every((p) => existsSync(p));
}
