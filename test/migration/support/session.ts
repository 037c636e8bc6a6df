import { spawn } from 'child_process';
import { until } from './runner';

/**
 * A SQL client session the test keeps open (psql or mysql reading statements from its stdin), to
 * hold a lock while a runner starts: the test decides when the lock is released, not the clock.
 */
export interface HeldSession {
  /** Sends statements and waits until the session prints `marker` on a line of its own. */
  send(sql: string, marker: string): Promise<void>;
  /** Everything the session printed so far. */
  output(): string;
  /** Ends the session (and so releases its locks) and waits for the client to exit. */
  close(): Promise<void>;
}

export function openSession(command: string, args: string[], env: Record<string, string>): HeldSession {
  const child = spawn(command, args, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let exited = false;
  child.stdout.on('data', d => { out += d; });
  child.stderr.on('data', d => { out += d; });
  const exit = new Promise<void>(resolve => child.on('close', () => { exited = true; resolve(); }));
  const lines = () => out.split('\n').map(l => l.trim());
  return {
    async send(sql, marker) {
      child.stdin.write(`${sql}\n`);
      await until(`"${marker}" from ${command}`, () => {
        if (exited) throw new Error(`${command} session ended: ${out}`);
        return lines().includes(marker);
      });
    },
    output: () => out,
    async close() {
      child.stdin.end();
      await exit;
    },
  };
}
