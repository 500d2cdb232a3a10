import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs on stdout, one object a line. Nothing logged may carry an IP address or a token. */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    { level, base: { service: 'kibotics-analytics' }, timestamp: pino.stdTimeFunctions.isoTime },
    destination ?? process.stdout
  );
}
