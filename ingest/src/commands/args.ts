import { parseArgs } from 'node:util';
import { ConfigError, configOptions, loadConfig, settingsFromOptions, wholeDecimal, type Config } from '../config.js';
import { hasState } from '../store/database.js';

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

/** A command's own options plus every gateway setting as a flag; unknown flags are an error naming them. */
export function parseCommand<T extends OptionSpec>(argv: string[], own: T) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...configOptions(), ...own }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  const values = parsed.values as Record<string, unknown>;
  return {
    values,
    positionals: parsed.positionals,
    config: (): Config => loadConfig(process.env, settingsFromOptions(values)),
  };
}

/** `--allow-new-state`: the option of the commands that act on an existing gateway's state. */
export const NEW_STATE_OPTION = { 'allow-new-state': { type: 'boolean' } } as const;

/**
 * forget, export and dead-letters act on a gateway's state: a DATA_DIR without one is almost always
 * the wrong folder (another working directory, a typo), and erasing "nothing" there would say success.
 */
export function requireState(config: Config, values: Record<string, unknown>, command: string): void {
  if (values['allow-new-state'] === true || hasState(config.dataDir)) return;
  throw new ConfigError(
    `DATA_DIR (--data-dir) '${config.dataDir}' holds no gateway state (no gateway.sqlite): ${command} would act on nothing there. ` +
      "Point DATA_DIR at the running gateway's DATA_DIR, or add --allow-new-state to go on anyway"
  );
}

/** A command's option that must be a whole decimal number in [min, max]. */
export function wholeNumber(
  name: string,
  raw: unknown,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER
): number {
  if (raw === undefined) return fallback;
  const n = wholeDecimal(String(raw));
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
    throw new ConfigError(`--${name} must be a whole decimal number ${range}, got '${String(raw)}'`);
  }
  return n;
}
