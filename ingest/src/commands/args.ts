import { parseArgs } from 'node:util';
import { ConfigError, configOptions, loadConfig, settingsFromOptions, type Config } from '../config.js';

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
