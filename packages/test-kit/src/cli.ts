import { spawn } from 'node:child_process';
import { CLI, INGEST, TSX } from './ingest.js';

/** Runs `kibotics-analytics ARGS` as a real process; resolves with its exit code and output. */
export function runCli(
  args: string[],
  env: Record<string, string>,
  stdin?: string,
  options: { cwd?: string; uid?: number; timeoutMs?: number } = {}
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX, CLI, ...args], {
      cwd: options.cwd ?? INGEST,
      ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.uid }),
      env: { ...process.env, RETENTION_DAYS: '0', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    // A command that should have refused to start would otherwise run on: kill it, and say so by the code null.
    const timer =
      options.timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(stdin ?? '');
  });
}
