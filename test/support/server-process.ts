import { ChildProcess, spawn, SpawnOptions } from 'child_process';

/** A server started by startServerProcess: its port, and stop() that waits for it to exit. */
export interface ServerProcess {
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * Starts `command` and waits until its standard output matches `ready` (whose first group is the
 * port it listens on); fails with what the server printed when it exits first or takes longer
 * than `timeoutMs`.
 */
export async function startServerProcess(name: string, command: string, args: string[], ready: RegExp, options: SpawnOptions = {}, timeoutMs = 30_000): Promise<ServerProcess> {
  const child: ChildProcess = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${name} did not start in ${timeoutMs} ms: ${err}${out}`)); }, timeoutMs);
    child.stdout!.on('data', chunk => {
      out += chunk;
      const m = ready.exec(out);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    child.stderr!.on('data', chunk => { err += chunk; });
    child.once('exit', code => { clearTimeout(timer); reject(new Error(`${name} exited (${code}): ${err}${out}`)); });
  });
  return {
    port,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
