/**
 * Dockerfiles read as Docker reads them, and their build steps rehearsed without Docker: no engine
 * runs here, but each stage's COPY and RUN steps can run in a directory that stands for its WORKDIR,
 * on this machine's Node and npm (the images' base is the same Node major on Debian).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO } from './files.js';

/** The .dockerignore patterns as Docker applies them: to the path in the context, a match taking its whole subtree. */
export function dockerignore(context = REPO): (path: string) => boolean {
  const patterns = readFileSync(join(context, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((p) => {
      const body = p
        .replace(/^\/+/, '')
        .split('**/')
        .map((part) =>
          part
            .replace(/[.+^${}()|[\]\\]/g, '\\$&')
            .replace(/\*/g, '[^/]*')
            .replace(/\?/g, '[^/]')
        )
        .join('(?:.*/)?');
      return new RegExp(`^${body}(?:/.*)?$`);
    });
  return (path) => patterns.some((re) => re.test(path));
}

export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  /** The base: an image, or an earlier stage's name. */
  from: string;
  name?: string;
  instructions: Instruction[];
}

export interface Dockerfile {
  path: string;
  /** The stage built (`docker build --target`); the stages below are those it needs. */
  target?: string;
  args: Record<string, string>;
  /** Every FROM's base, ARGs resolved. */
  froms: string[];
  /** Names of the stages that have one. */
  stages: string[];
  copies: Array<{ from?: string; sources: string[]; dest: string }>;
  stageList: Stage[];
  /** The Dockerfile's text for what is built: the ARGs before the first FROM and the stages kept. */
  text: string;
}

/**
 * A Dockerfile as `docker build [--target T]` reads it: with a target, only the stages that stage
 * needs (its FROM chain and the stages it copies from, transitively), in file order.
 */
export function parseDockerfile(path: string, target?: string): Dockerfile {
  const text = readFileSync(join(REPO, path), 'utf8');
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const args: Record<string, string> = {};
  const all: Array<Stage & { copies: Dockerfile['copies'] }> = [];
  for (const line of lines) {
    const [keyword, ...rest] = line.split(/\s+/) as [string, ...string[]];
    const argText = line.slice(keyword.length).trim();
    if (keyword === 'ARG' && rest[0]?.includes('=')) {
      const [k, v] = rest[0].split('=');
      args[k!] = v!;
    } else if (keyword === 'FROM') {
      const from = rest[0]!.replace(/\$\{(\w+)\}/g, (_m, a: string) => args[a] ?? '');
      all.push({ from, name: rest[1]?.toUpperCase() === 'AS' ? rest[2] : undefined, instructions: [], copies: [] });
    } else {
      all.at(-1)?.instructions.push({ keyword, args: argText });
      if (keyword === 'COPY') {
        const from = rest.find((r) => r.startsWith('--from='))?.slice(7);
        const paths = rest.filter((r) => !r.startsWith('--'));
        all.at(-1)?.copies.push({ from, sources: paths.slice(0, -1), dest: paths.at(-1)! });
      }
    }
  }
  let needed = new Set(all.map((_, i) => i));
  if (target !== undefined) {
    const index = (name: string) => all.findIndex((s) => s.name === name);
    const last = index(target);
    if (last < 0) throw new Error(`${path}: no stage named ${target}`);
    needed = new Set();
    const visit = (i: number) => {
      if (i < 0 || needed.has(i)) return;
      needed.add(i);
      visit(index(all[i]!.from));
      for (const c of all[i]!.copies) if (c.from) visit(index(c.from));
    };
    visit(last);
  }
  const kept = all.filter((_, i) => needed.has(i));
  // The text of what is built: the lines before the first FROM (ARGs), then each kept stage's lines.
  const segments = text.split(/^(?=FROM\s)/m);
  const builtText = [segments[0]!, ...segments.slice(1).filter((_, i) => needed.has(i))].join('');
  const stageList: Stage[] = kept.map(({ from, name, instructions }) => ({ from, name, instructions }));
  const copies = kept.flatMap((s) => s.copies);
  return {
    path,
    target,
    args,
    froms: stageList.map((s) => s.from),
    stages: stageList.flatMap((s) => (s.name ? [s.name] : [])),
    copies,
    stageList,
    text: builtText,
  };
}

export interface Rehearsal {
  /** Where every stage was rehearsed (remove it when done). */
  dir: string;
  /** The directory standing for the last stage's filesystem root. */
  root: string;
  /** The directory standing for the last stage's WORKDIR. */
  workdir: string;
  /** ENV of the last stage (its base stages' included). */
  env: Record<string, string>;
  /** ENTRYPOINT followed by CMD, as exec-form arrays. */
  command: string[];
  /** Steps that cannot run outside an image, with why (system packages, paths outside WORKDIR). */
  skipped: string[];
  /** Native builds an earlier stage already made from the same package version: their output is copied, not rebuilt. */
  reused: string[];
}

interface StageState {
  /** Stands for the stage's filesystem root. */
  root: string;
  workdir: string;
  env: Record<string, string>;
  entrypoint: string[];
  cmd: string[];
}

/**
 * Runs every stage the last one needs, in order, each in a temp directory: COPY from the build
 * context (`context`, the repository) or from an earlier stage, RUN with bash in the WORKDIR with
 * the stage's ENV. A stage built FROM an earlier one starts as a copy of it. Steps that need the
 * image itself (apt-get, paths outside the WORKDIR such as a volume's mount point) are skipped and
 * reported. Throws, with the step's output, when a step fails: what `docker build` would do.
 */
export function rehearse(file: Dockerfile, log: (line: string) => void = () => {}): Rehearsal {
  const base = mkdtempSync(join(tmpdir(), 'rehearsal-'));
  const ignored = dockerignore();
  const inContext = (src: string) => !ignored(relative(REPO, src));
  const states = new Map<string, StageState>();
  const skipped: string[] = [];
  const reused: string[] = [];
  // `npm rebuild <package>` already run, by package and version: where its build went.
  const built = new Map<string, { stage: string; dir: string }>();
  let last: StageState | undefined;
  file.stageList.forEach((stage, index) => {
    const label = stage.name ?? `stage-${index}`;
    const parent = states.get(stage.from);
    const root = join(base, label);
    if (parent) cpSync(parent.root, root, { recursive: true, verbatimSymlinks: true });
    else mkdirSync(root, { recursive: true });
    const state: StageState = parent
      ? { ...parent, root, env: { ...parent.env }, entrypoint: [...parent.entrypoint], cmd: [...parent.cmd] }
      : { root, workdir: '/', env: {}, entrypoint: [], cmd: [] };
    const inRoot = (path: string) => join(root, posix.resolve(state.workdir, path));
    for (const { keyword, args } of stage.instructions) {
      switch (keyword) {
        case 'WORKDIR':
          state.workdir = posix.resolve(state.workdir, args);
          mkdirSync(inRoot('.'), { recursive: true });
          break;
        case 'ENV':
          for (const [, k, v] of args.matchAll(/(\w+)=("[^"]*"|\S+)/g)) state.env[k!] = v!.replace(/^"|"$/g, '');
          break;
        case 'COPY': {
          const words = args.split(/\s+/);
          const fromStage = words.find((w) => w.startsWith('--from='))?.slice(7);
          const paths = words.filter((w) => !w.startsWith('--'));
          const dest = paths.pop()!;
          const source = fromStage ? states.get(fromStage) : undefined;
          if (fromStage && !source)
            throw new Error(`${file.path}: COPY --from=${fromStage}: no such stage before this one`);
          for (const p of paths) {
            const from = source ? join(source.root, posix.resolve(source.workdir, p)) : join(REPO, p);
            // Docker's rule: a destination ending in / is a directory the source goes into.
            const to = dest.endsWith('/') || paths.length > 1 ? join(inRoot(dest), posix.basename(p)) : inRoot(dest);
            mkdirSync(dirname(to), { recursive: true });
            cpSync(from, to, { recursive: true, verbatimSymlinks: true, filter: source ? undefined : inContext });
          }
          break;
        }
        case 'RUN': {
          const outside = /(?:^|[\s=])(\/(?!dev\/null)[\w./-]+)/.exec(args.replace(/https?:\/\/\S+/g, ''))?.[1];
          if (/^apt-get\b/.test(args)) {
            skipped.push(`${label}: ${args.slice(0, 60)}… (system packages of the base image)`);
            break;
          }
          if (outside && !outside.startsWith(state.workdir)) {
            skipped.push(`${label}: ${args} (${outside} is outside the WORKDIR)`);
            break;
          }
          // A trailing `&& npm rebuild <package>` that an earlier stage ran on the same version of the
          // package, with the same Node: the same compile, so its output is copied (compiling takes minutes).
          const [, head, rebuilt] = /^(.*?)\s*&&\s*npm rebuild ([\w@./-]+)$/.exec(args) ?? [];
          const nativeDir = rebuilt ? inRoot(join('node_modules', rebuilt)) : '';
          log(`${label}: RUN ${args}`);
          run(file, head ?? args, inRoot('.'), state.env);
          if (rebuilt) {
            const key = `${rebuilt}@${readJson(join(nativeDir, 'package.json')).version}`;
            const earlier = built.get(key);
            if (earlier) {
              rmSync(join(nativeDir, 'build'), { recursive: true, force: true });
              cpSync(join(earlier.dir, 'build'), join(nativeDir, 'build'), { recursive: true, verbatimSymlinks: true });
              reused.push(`${label}: npm rebuild ${rebuilt} (${key}, built by ${earlier.stage})`);
            } else {
              run(file, `npm rebuild ${rebuilt}`, inRoot('.'), state.env);
              built.set(key, { stage: label, dir: nativeDir });
            }
          }
          break;
        }
        case 'ENTRYPOINT':
          state.entrypoint = JSON.parse(args) as string[];
          break;
        case 'CMD':
          state.cmd = JSON.parse(args) as string[];
          break;
        // USER, VOLUME, EXPOSE, ARG, LABEL, HEALTHCHECK: nothing to rehearse.
      }
    }
    if (stage.name) states.set(stage.name, state);
    last = state;
  });
  if (!last) throw new Error(`${file.path}: no stage`);
  const final: StageState = last;
  return {
    dir: base,
    root: final.root,
    workdir: join(final.root, final.workdir),
    env: final.env,
    command: [...final.entrypoint, ...final.cmd],
    skipped,
    reused,
  };
}

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as { version: string };

/** A RUN step: bash in the WORKDIR with the stage's ENV; throws with its output when it fails, as `docker build` would. */
function run(file: Dockerfile, command: string, cwd: string, env: Record<string, string>): void {
  const r = spawnSync('bash', ['-euo', 'pipefail', '-c', command], {
    cwd,
    env: { ...process.env, ...env, npm_config_prefer_offline: 'true', npm_config_update_notifier: 'false' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0)
    throw new Error(
      `${file.path}: RUN ${command} failed (${r.status ?? r.signal}):\n${(r.stdout + r.stderr).slice(-4000)}`
    );
}

/**
 * What a rehearsal depends on: the Dockerfile, .dockerignore, every file it copies from the context
 * (ignored ones left out, as Docker leaves them out), this machine's Node and npm, and this file. Equal keys
 * mean a rehearsal would run the same steps on the same inputs.
 */
export function rehearsalKey(file: Dockerfile): string {
  const ignored = dockerignore();
  const hash = createHash('sha256');
  const npm = spawnSync('npm', ['--version'], { encoding: 'utf8' }).stdout.trim();
  hash.update(
    `${process.version} npm ${npm}\n${file.target ?? ''}\n${file.text}\n${readFileSync(join(REPO, '.dockerignore'), 'utf8')}\n`
  );
  // How steps are rehearsed is an input too: a changed rehearsal (this file) rehearses again.
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  const add = (path: string) => {
    if (ignored(path)) return;
    const full = join(REPO, path);
    if (statSync(full).isDirectory()) for (const entry of readdirSync(full).sort()) add(posix.join(path, entry));
    else hash.update(`${path}\n`).update(readFileSync(full));
  };
  for (const c of file.copies.filter((c) => !c.from)) for (const source of c.sources) add(source);
  return hash.digest('hex').slice(0, 16);
}

/**
 * A rehearsal, reused while its key (rehearsalKey) is unchanged: the images' steps take minutes
 * (npm ci of the panel's ~800 MB of dependencies, better-sqlite3 compiled) and prove nothing
 * new until a Dockerfile, the lockfile or a copied source changes. A fresh clone (CI) always
 * rehearses; `KIBOTICS_REHEARSE=always` forces it. The last stage's files are kept under
 * node_modules/.cache, one entry per image.
 */
export function rehearseCached(
  file: Dockerfile,
  log: (line: string) => void = () => {}
): Rehearsal & { cached: boolean } {
  const name = `${file.path}${file.target ? `-${file.target}` : ''}`.replace(/[^\w]+/g, '-');
  const cache = join(REPO, 'node_modules/.cache/kibotics-rehearsals');
  const key = rehearsalKey(file);
  const entry = join(cache, `${name}-${key}`);
  const meta = join(entry, 'rehearsal.json');
  if (process.env.KIBOTICS_REHEARSE !== 'always' && existsSync(meta)) {
    const saved = JSON.parse(readFileSync(meta, 'utf8')) as {
      workdir: string;
      env: Record<string, string>;
      command: string[];
      skipped: string[];
      reused: string[];
    };
    log(`${file.path}: inputs unchanged (key ${key}), reusing its rehearsal`);
    const root = join(entry, 'root');
    return {
      dir: entry,
      root,
      workdir: join(root, saved.workdir),
      env: saved.env,
      command: saved.command,
      skipped: saved.skipped,
      reused: saved.reused,
      cached: true,
    };
  }
  const fresh = rehearse(file, log);
  mkdirSync(cache, { recursive: true });
  for (const old of readdirSync(cache).filter((d) => d.startsWith(`${name}-`)))
    rmSync(join(cache, old), { recursive: true, force: true });
  mkdirSync(entry);
  moveDir(fresh.root, join(entry, 'root'));
  const workdir = relative(fresh.root, fresh.workdir);
  const { env, command, skipped, reused } = fresh;
  writeFileSync(meta, JSON.stringify({ workdir, env, command, skipped, reused }));
  rmSync(fresh.dir, { recursive: true, force: true });
  const root = join(entry, 'root');
  return {
    dir: entry,
    root,
    workdir: join(root, workdir),
    env: fresh.env,
    command: fresh.command,
    skipped: fresh.skipped,
    reused: fresh.reused,
    cached: false,
  };
}

/** Renamed when on the same file system (no copy of a node_modules), copied otherwise. */
function moveDir(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    cpSync(from, to, { recursive: true, verbatimSymlinks: true });
  }
}
