/**
 * The real Kibotics logs, read where they live (never copied into the repository): their location
 * comes from KIBOTICS_LOGS (`.ci/run` sets it when ../shared/data/kibotics-logs exists). Without it,
 * the tests that need them skip, saying how to run them.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The three parts of the corpus the importers read (the README.md beside them is not a log). */
export const CORPUS_PART_NAMES = ['temporalDir', 'FINAL', 'access_log_django.txt'] as const;

export type Corpus = { dir: string; parts: string[] } | { skip: string };

export function realCorpus(env: NodeJS.ProcessEnv = process.env): Corpus {
  const raw = env.KIBOTICS_LOGS?.trim();
  if (!raw)
    return { skip: 'KIBOTICS_LOGS is not set: run with KIBOTICS_LOGS=/path/to/kibotics-logs to read the real logs' };
  const dir = resolve(raw);
  const parts = CORPUS_PART_NAMES.map((p) => join(dir, p));
  const missing = parts.filter((p) => !existsSync(p));
  if (missing.length > 0)
    return {
      skip: `KIBOTICS_LOGS=${raw} lacks ${missing.map((p) => p.slice(dir.length + 1)).join(', ')}: point it at the kibotics-logs folder`,
    };
  return { dir, parts };
}
