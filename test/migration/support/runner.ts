import { spawn } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { findObject } from '../../support/synth';

/** The runner Job of a synthesized SchemaMigration, as a cluster would see it. */
export interface RenderedRunner {
  readonly job: any;
  readonly configMap: any;
  /** The script exactly as rendered (ConfigMap key `migrate.sh`). */
  readonly script: string;
  /** ConfigMap data: the script and the migration files. */
  readonly data: Record<string, string>;
  /** The container's env: literal values, and secretKeyRef entries as `{ secret, key }`. */
  readonly env: Array<{ name: string; value?: string; secret?: { name: string; key: string } }>;
  /** The container command. */
  readonly command: string[];
}

export function renderedRunner(manifests: any[]): RenderedRunner {
  const jobs = manifests.filter(m => m.kind === 'Job' && m.metadata?.labels?.['app.kubernetes.io/component'] === 'migration');
  if (jobs.length !== 1) throw new Error(`expected one migration Job, found ${jobs.length}`);
  const job = jobs[0];
  const container = job.spec.template.spec.containers[0];
  const volume = job.spec.template.spec.volumes.find((v: any) => v.configMap);
  const configMap = findObject(manifests, 'ConfigMap', volume.configMap.name);
  return {
    job,
    configMap,
    script: configMap.data['migrate.sh'],
    data: configMap.data,
    command: container.command,
    env: container.env.map((e: any) => ({ name: e.name, value: e.value, secret: e.valueFrom?.secretKeyRef })),
  };
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the rendered runner as the pod would: the ConfigMap's data written to a directory standing
 * for the `/migrations` mount (MIGRATIONS_DIR points at it), the env as rendered with secretKeyRef
 * values taken from `secrets` (`<secret>/<key>` → value). `extraFiles` add files to the mounted
 * directory (a ConfigMap edited by hand), `overrides` replace env values (PATH for stand-ins).
 */
export function runRunner(r: RenderedRunner, secrets: Record<string, string>, options: RunOptions = {}): Promise<RunResult> {
  return startRunner(r, secrets, options).done;
}

export interface RunOptions {
  extraFiles?: Record<string, string>;
  overrides?: Record<string, string>;
  timeoutMs?: number;
}

/** A runner started in the background: its log so far, and its result once it exits. */
export interface RunningRunner {
  /** What the runner has written to stderr so far (its log). */
  stderr(): string;
  readonly done: Promise<RunResult>;
}

/** Starts the rendered runner like `runRunner`, without waiting for it. */
export function startRunner(r: RenderedRunner, secrets: Record<string, string>, options: RunOptions = {}): RunningRunner {
  const dir = mkdtempSync(join(tmpdir(), 'mig-run-'));
  for (const [name, content] of Object.entries({ ...r.data, ...(options.extraFiles ?? {}) })) writeFileSync(join(dir, name), content);
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', TMPDIR: tmpdir() };
  for (const e of r.env) {
    if (e.secret) {
      const value = secrets[`${e.secret.name}/${e.secret.key}`];
      if (value === undefined) throw new Error(`test has no value for secret ${e.secret.name}/${e.secret.key}`);
      env[e.name] = value;
    } else {
      env[e.name] = e.value ?? '';
    }
  }
  env.MIGRATIONS_DIR = dir;
  env.HOME = dir;
  Object.assign(env, options.overrides ?? {});
  // The container command is `sh /migrations/migrate.sh`: run the same shell on the same file.
  const [shell, scriptPath] = r.command;
  if (scriptPath !== '/migrations/migrate.sh') throw new Error(`unexpected command ${r.command.join(' ')}`);
  let stderr = '';
  const done = new Promise<RunResult>((resolve, reject) => {
    const child = spawn(shell, [join(dir, 'migrate.sh')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', d => { stdout += d; });
    child.stderr.on('data', d => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', code => {
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
  return { stderr: () => stderr, done };
}

/**
 * Overrides that put the stand-in `sleep` (support/fake-sleep) first on the runner's PATH, waiting
 * a tenth of what the runner asks. The runners count their waits (a lock wait of LOCK_WAIT_SECONDS
 * is that many `sleep 1`), so they decide the same; the polls between them come ten times sooner.
 */
export function shortSleeps(): Record<string, string> {
  return { PATH: `${join(__dirname, 'fake-sleep')}:${process.env.PATH ?? '/usr/bin:/bin'}`, FAKE_SLEEP_DIVISOR: '10' };
}

/**
 * Resolves once `condition` holds, checking it again whenever the event loop is free (every 50 ms).
 * The outcome never depends on how long it takes: `what` is reported only if the condition is still
 * false when the test's own timeout is near (`limitMs`), so a stuck run fails with a reason instead
 * of a bare jest timeout.
 */
export async function until(what: string, condition: () => boolean, limitMs = 50_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > limitMs) throw new Error(`still waiting for: ${what}`);
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

/**
 * Two runners that waited for one lock: both got it in turn, the first applied `pending` files and
 * the second found none left.
 */
export function expectOneAppliedTheOtherWaited(results: readonly RunResult[], pending: number): void {
  const logs = results.map(r => r.stderr);
  expect(logs.filter(l => l.includes('lock acquired'))).toHaveLength(2);
  expect(logs.filter(l => l.includes(`${pending} pending migration(s)`))).toHaveLength(1);
  expect(logs.filter(l => l.includes('0 pending migration(s)'))).toHaveLength(1);
}
