import { ListenError, startGateway, type Gateway } from '../gateway.js';
import { createLogger } from '../log.js';
import { parseCommand } from './args.js';

/** `serve`: run the gateway until SIGTERM or SIGINT, then shut down within a bounded time. */
export async function serve(argv: string[]): Promise<number> {
  const config = parseCommand(argv, {}).config();
  const log = createLogger(config.logLevel);
  let gateway: Gateway;
  try {
    gateway = await startGateway(config, log);
  } catch (err) {
    if (!(err instanceof ListenError)) throw err;
    log.error({ error: err.message }, 'cannot start');
    process.stderr.write(`kibotics-analytics: ${err.message}\n`);
    return 1;
  }
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info(
        { signal, graceMs: config.shutdownGraceMs },
        'shutting down: delivering what can be delivered; the rest stays in the spool'
      );
      gateway.close(config.shutdownGraceMs).then(resolve, resolve);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  log.info('stopped');
  return 0;
}
