import { spawn, spawnSync } from 'child_process';

/*
 * Scripts run with standard input from /dev/null, as a container without `stdin: true` has it.
 * Besides being faithful, it matters for speed: bash started with a socket as standard input (what
 * node's default piped stdin is) and no SHLVL in its environment takes itself for a remote shell
 * and reads ~/.bashrc, which on a developer's machine can cost most of a second per script.
 */
const STDIO: ['ignore', 'pipe', 'pipe'] = ['ignore', 'pipe', 'pipe'];

/** A command taken from a manifest, with the literal part of its environment. */
export interface Command {
  readonly command: string[];
  /** Env from the manifest: only literal values (secretKeyRef would come from the cluster). */
  readonly env: Record<string, string>;
}

/** The literal env values of a container (Secret references are left for the test to supply). */
export function literalEnv(env: any[] | undefined): Record<string, string> {
  return Object.fromEntries((env ?? []).filter(e => typeof e.value === 'string').map(e => [e.name, e.value]));
}

/** The command and literal env of a container. */
export function containerCommand(container: any): Command {
  return { command: container.command, env: literalEnv(container.env) };
}

/** Every container of a Job template, init containers first, by name. */
export function jobSteps(jobSpec: any): Record<string, Command> {
  const spec = jobSpec.template.spec;
  return Object.fromEntries([...(spec.initContainers ?? []), ...spec.containers].map((c: any) => [c.name, containerCommand(c)]));
}

/** Runs a command from a manifest with its env, overriding only what the test environment needs. */
export function run(cmd: Command, overrides: Record<string, string>, timeout = 60_000): { status: number | null; stdout: string; stderr: string } {
  return runArgv(cmd.command, { PATH: process.env.PATH ?? '/usr/bin:/bin', ...cmd.env, ...overrides }, timeout);
}

/** Runs `argv` with exactly `env` and no standard input; waits for it (the event loop is blocked). */
export function runArgv(argv: string[], env: Record<string, string | undefined>, timeout = 60_000): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', env, timeout, stdio: STDIO });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Runs `argv` like runArgv without blocking, for scripts that talk to stand-ins served by the test
 * process itself; `code` is the exit status, or -1 when it was killed (after `timeout`).
 */
export function runArgvAsync(argv: string[], env: Record<string, string | undefined>, timeout = 20_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { env, stdio: STDIO });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', d => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', d => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.on('error', reject);
    child.on('close', code => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}
