import { spawnSync } from 'child_process';

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
  const result = spawnSync(cmd.command[0], cmd.command.slice(1), {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...cmd.env, ...overrides },
    timeout,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
