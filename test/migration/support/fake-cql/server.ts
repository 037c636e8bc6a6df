import { createServer, Server, Socket } from 'net';
import { join } from 'path';
import { handleCall } from './cluster';

/**
 * Serves the stand-in cluster (cluster.ts) on a loopback port to the `cqlsh` client script next to
 * this file. A node process per cqlsh call cost a third of a second each on a loaded machine, and a
 * runner makes dozens of calls; the client is bash, a few milliseconds. Calls are handled one at a
 * time in the test's process.
 *
 * Wire format, both ways: fields of `<byte length>\n<bytes>`. Request: ppid, whether CQLSH_PASSWORD
 * was set ("1"/"0"), argc, the arguments, the count of FAKE_CQL_* variables, then name and value of
 * each. Answer: exit code, stdout, stderr.
 */
export interface FakeCql {
  /** Env for a runner using the stand-in: PATH with the client first, and where the cluster listens. */
  env(): Record<string, string>;
  close(): Promise<void>;
}

export const FAKE_CQL_DIR = __dirname;

export async function startFakeCql(): Promise<FakeCql> {
  const server: Server = createServer(socket => serve(socket));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    env: () => ({ PATH: `${join(FAKE_CQL_DIR)}:${process.env.PATH}`, FAKE_CQL_PORT: String(port) }),
    close: () => new Promise(resolve => server.close(() => resolve())),
  };
}

function serve(socket: Socket) {
  let buffer = Buffer.alloc(0);
  socket.on('error', () => socket.destroy());
  socket.on('data', chunk => {
    buffer = Buffer.concat([buffer, chunk]);
    const fields = parse(buffer);
    if (!fields) return;
    const [ppid, passwordInEnv, argc, ...rest] = fields;
    const argv = rest.slice(0, Number(argc));
    const pairs = rest.slice(Number(argc) + 1);
    const env: Record<string, string> = {};
    for (let i = 0; i + 1 < pairs.length; i += 2) env[pairs[i]] = pairs[i + 1];
    let answer;
    try {
      answer = handleCall({ argv, env, passwordInEnv: passwordInEnv === '1', ppid: Number(ppid) });
    } catch (e) {
      answer = { code: 9, stdout: '', stderr: `fake cqlsh: ${(e as Error).stack}\n` };
    }
    socket.end(Buffer.concat([String(answer.code), answer.stdout, answer.stderr].map(field)));
  });
}

function field(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  return Buffer.concat([Buffer.from(`${bytes.length}\n`), bytes]);
}

/** The request's fields once all have arrived, else undefined. */
function parse(buffer: Buffer): string[] | undefined {
  const fields: string[] = [];
  let at = 0;
  const next = (): string | undefined => {
    const nl = buffer.indexOf(0x0a, at);
    if (nl < 0) return undefined;
    const length = Number(buffer.subarray(at, nl).toString());
    if (buffer.length < nl + 1 + length) return undefined;
    at = nl + 1 + length;
    return buffer.subarray(nl + 1, at).toString('utf8');
  };
  for (let expected = 3; fields.length < expected;) {
    const f = next();
    if (f === undefined) return undefined;
    fields.push(f);
    if (fields.length === 3) expected = 3 + Number(fields[2]) + 1;
    if (fields.length === 3 + Number(fields[2]) + 1) expected = fields.length + 2 * Number(f);
  }
  return fields;
}
