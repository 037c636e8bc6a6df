/**
 * A throwaway PostgreSQL server on loopback for tests, from Debian's `postgresql` package.
 *
 * ```ts
 * const pg = await startPostgres();          // undefined when the binaries are missing
 * try {
 *   pg.psql('CREATE TABLE t (id int)');      // as the application user, in the app database
 *   runScript(script, { ...pg.env });        // PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE
 * } finally {
 *   await pg.stop();
 * }
 * ```
 *
 * The server listens on 127.0.0.1 on a free port with TLS on (a self-signed certificate, so
 * `sslmode=require` works as in a cluster) and scram-sha-256 password authentication. It has an
 * application role and database (`app`/`app` by default) and a `postgres` superuser whose password
 * is in `superuserPassword`. PostgreSQL refuses to run as root, so when the tests run as root the
 * server runs as the `postgres` OS user (through `runuser`), with its data and socket in a
 * temporary directory that user owns. `postgresSkipReason()` says why no server can start here.
 * Nothing is synced to disk (initdb --no-sync, fsync off): the server is thrown away after the test.
 * initdb runs once per server version (a template data directory under the OS temporary directory,
 * shared by test files and runs); each server starts from a copy of it, its settings given at start.
 */
import { execFileSync, spawnSync } from 'child_process';
import { randomBytes } from 'crypto';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { createServer } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { unlessRequired } from './required-servers';
import { templateDir } from './template-dir';

/** A running server and how to reach it. */
export interface LocalPostgres {
  readonly host: string;
  readonly port: number;
  /** Application user and database. */
  readonly user: string;
  readonly password: string;
  readonly database: string;
  readonly superuserPassword: string;
  /** Major version of the server, e.g. 15. */
  readonly major: number;
  /** libpq environment for the application user (TLS required). */
  readonly env: Record<string, string>;
  /** Runs SQL as the application user (or as `postgres` with `{ superuser: true }`); returns psql's unaligned output. */
  psql(sql: string, options?: { superuser?: boolean; database?: string }): string;
  /** Stops the server and deletes its files. */
  stop(): Promise<void>;
}

const LIB = '/usr/lib/postgresql';

/** The newest installed server's bin directory, or undefined. */
export function postgresBinDir(): string | undefined {
  if (!existsSync(LIB)) return undefined;
  const versions = readdirSync(LIB).filter(v => /^\d+$/.test(v) && existsSync(join(LIB, v, 'bin', 'initdb')) && existsSync(join(LIB, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(LIB, versions[0], 'bin') : undefined;
}

/** Why no server can start here, or undefined when one can (throws under REQUIRE_DB_SERVERS=1). */
export function postgresSkipReason(): string | undefined {
  return unlessRequired(postgresMissing());
}

function postgresMissing(): string | undefined {
  if (!postgresBinDir()) return `no PostgreSQL server binaries under ${LIB} (install Debian's postgresql package)`;
  for (const tool of ['psql', 'pg_dump', 'pg_restore', 'openssl', 'bash', 'gzip']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed`;
  }
  if (process.getuid?.() === 0 && spawnSync('id', ['-u', 'postgres']).status !== 0) return 'running as root and there is no postgres OS user to run the server';
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The template data directory for this server version and OS user: made by initdb once, with a
 * random superuser password kept beside it (`superuser-password`, readable by its owner only).
 */
function template(bin: string, run: (cmd: string, args: string[]) => void, uid: number, gid: number): { data: string; superuserPassword: string } {
  const initdbArgs = ['-U', 'postgres', '--auth-local=scram-sha-256', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C', '--no-sync'];
  const version = execFileSync(join(bin, 'postgres'), ['--version']).toString().trim();
  const dir = templateDir('cdk8s-data-pg-templates', [bin, version, initdbArgs, uid], 'superuser-password', making => {
    const superuserPassword = randomBytes(12).toString('hex');
    writeFileSync(join(making, 'pwfile'), `${superuserPassword}\n`, { mode: 0o600 });
    chmodSync(making, 0o700);
    if (uid !== process.getuid!()) for (const f of ['', 'pwfile']) chownSync(join(making, f), uid, gid);
    run(join(bin, 'initdb'), ['-D', join(making, 'data'), ...initdbArgs, `--pwfile=${join(making, 'pwfile')}`]);
    rmSync(join(making, 'pwfile'));
    // Written last: its presence marks a complete template.
    writeFileSync(join(making, 'superuser-password'), `${superuserPassword}\n`, { mode: 0o600 });
  });
  return { data: join(dir, 'data'), superuserPassword: readFileSync(join(dir, 'superuser-password'), 'utf8').trim() };
}

/** Starts a server; throws when it cannot (call postgresSkipReason() first). */
export async function startPostgres(options: { user?: string; database?: string; settings?: string[] } = {}): Promise<LocalPostgres> {
  const reason = postgresSkipReason();
  if (reason) throw new Error(`cannot start PostgreSQL: ${reason}`);
  const bin = postgresBinDir()!;
  const major = Number(bin.split('/').slice(-2)[0]);
  const user = options.user ?? 'app';
  const database = options.database ?? 'app';
  const asRoot = process.getuid?.() === 0;
  const uid = asRoot ? Number(execFileSync('id', ['-u', 'postgres']).toString().trim()) : process.getuid!();
  const gid = asRoot ? Number(execFileSync('id', ['-g', 'postgres']).toString().trim()) : process.getgid!();
  const dir = mkdtempSync(join(tmpdir(), 'cdk8s-data-pg-'));
  const data = join(dir, 'data');
  const password = `app-${Math.random().toString(36).slice(2)}`;
  execFileSync('openssl', ['req', '-new', '-x509', '-days', '1', '-nodes', '-subj', '/CN=localhost', '-keyout', join(dir, 'server.key'), '-out', join(dir, 'server.crt')], { stdio: 'ignore' });
  chmodSync(join(dir, 'server.key'), 0o600);
  if (asRoot) {
    for (const f of ['', 'server.key', 'server.crt']) chownSync(join(dir, f), uid, gid);
  }
  chmodSync(dir, 0o700);
  const run = (cmd: string, args: string[]) => (asRoot
    ? execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' })
    : execFileSync(cmd, args, { stdio: 'pipe' }));
  let port: number;
  let superuserPassword: string;
  try {
    const t = template(bin, run, uid, gid);
    superuserPassword = t.superuserPassword;
    // cp -a keeps the owner (the postgres OS user when the tests run as root) and the 0700 mode.
    execFileSync('cp', ['-a', t.data, data], { stdio: 'pipe' });
    port = await freePort();
    const settings = [
      `-c port=${port}`, '-c listen_addresses=127.0.0.1', `-c unix_socket_directories=${dir}`, '-c ssl=on',
      `-c ssl_cert_file=${join(dir, 'server.crt')}`, `-c ssl_key_file=${join(dir, 'server.key')}`, '-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off', '-c max_connections=20',
      ...(options.settings ?? []).map(setting => `-c ${setting}`),
    ].join(' ');
    run(join(bin, 'pg_ctl'), ['-D', data, '-o', settings, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  } catch (e) {
    const log = existsSync(join(dir, 'server.log')) ? readFileSync(join(dir, 'server.log'), 'utf8') : '';
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`PostgreSQL did not start: ${(e as Error).message}\n${log}`);
  }

  const base = { PGHOST: '127.0.0.1', PGPORT: String(port), PGSSLMODE: 'require', PGCONNECT_TIMEOUT: '10' };
  const psql = (sql: string, opts: { superuser?: boolean; database?: string } = {}) => execFileSync('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', sql], {
    env: {
      ...process.env, ...base,
      PGUSER: opts.superuser ? 'postgres' : user,
      PGPASSWORD: opts.superuser ? superuserPassword : password,
      PGDATABASE: opts.database ?? (opts.superuser ? 'postgres' : database),
    },
    stdio: 'pipe',
  }).toString().trim();
  const stop = async () => {
    try {
      run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    psql(`CREATE ROLE ${user} LOGIN PASSWORD '${password}'`, { superuser: true });
    psql(`CREATE DATABASE ${database} OWNER ${user}`, { superuser: true });
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    host: '127.0.0.1', port, user, password, database, superuserPassword, major,
    env: { ...base, PGUSER: user, PGPASSWORD: password, PGDATABASE: database },
    psql, stop,
  };
}
