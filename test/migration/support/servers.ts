/**
 * Throwaway database servers on loopback for the migration runner tests: PostgreSQL (Debian's
 * initdb/pg_ctl, run as the `postgres` OS user) and MariaDB (mariadbd --user=root), each with a
 * temporary data directory and a free port. Used when the shared harnesses in test/support are
 * not available; both expose the same small interface.
 */
import { execFileSync, spawn, ChildProcess } from 'child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync, chownSync } from 'fs';
import { createServer } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';

/** A running server with an application user and database. */
export interface TestServer {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password: string;
  /** Runs SQL as the admin user against the application database; returns stdout. */
  admin(sql: string): string;
  /** Drops and re-creates the application database (fresh state per test). */
  reset(): void;
  stop(): void;
}

export async function freePort(): Promise<number> {
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

/** Why PostgreSQL cannot run here, or undefined when it can. */
export function postgresUnavailable(): string | undefined {
  if (!existsSync('/usr/lib/postgresql')) return 'Debian postgresql is not installed (/usr/lib/postgresql missing)';
  if (!postgresBin()) return 'no /usr/lib/postgresql/<major>/bin/initdb found';
  if (process.getuid?.() !== 0) return 'the PostgreSQL harness runs initdb as the postgres user through runuser, which needs root';
  return undefined;
}

function postgresBin(): string | undefined {
  const majors = readdirSync('/usr/lib/postgresql').filter(d => existsSync(join('/usr/lib/postgresql', d, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return majors.length ? join('/usr/lib/postgresql', majors[0], 'bin') : undefined;
}

/** psql on PATH (Debian's wrapper) or the versioned binary. */
export function psqlPath(): string {
  return join(postgresBin()!, 'psql');
}

function sleep(ms: number): Promise<void> {
  return new Promise(r => setTimeout(r, ms));
}

export async function startPostgres(): Promise<TestServer> {
  const bin = postgresBin()!;
  const dir = mkdtempSync(join(tmpdir(), 'mig-pg-'));
  chmodSync(dir, 0o755);
  const data = join(dir, 'data');
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, 'adminpw\n');
  const pg = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const pgGid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  chownSync(dir, pg, pgGid);
  chownSync(pwfile, pg, pgGid);
  const asPostgres = (cmd: string, args: string[]) => execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' });
  asPostgres(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--pwfile', pwfile, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8']);
  const port = await freePort();
  asPostgres(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '60', '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50`, 'start']);
  const psql = (db: string, sql: string) => execFileSync(join(bin, 'psql'), ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-h', dir, '-p', String(port), '-U', 'postgres', '-d', db, '-c', sql], { stdio: 'pipe' }).toString();
  psql('postgres', "CREATE ROLE app LOGIN PASSWORD 'app-secret'");
  const reset = () => {
    psql('postgres', 'DROP DATABASE IF EXISTS app WITH (FORCE)');
    psql('postgres', 'CREATE DATABASE app OWNER app');
  };
  reset();
  return {
    host: '127.0.0.1', port, database: 'app', user: 'app', password: 'app-secret',
    admin: sql => psql('app', sql),
    reset,
    stop: () => {
      try { asPostgres(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop']); } catch { /* already stopped */ }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Why MariaDB cannot run here, or undefined when it can. */
export function mariadbUnavailable(): string | undefined {
  for (const b of ['/usr/sbin/mariadbd', '/usr/bin/mariadb-install-db']) {
    if (!existsSync(b)) return `MariaDB server is not installed (${b} missing)`;
  }
  if (!existsSync('/usr/bin/mariadb') && !existsSync('/usr/bin/mysql')) return 'no mariadb/mysql client installed';
  return undefined;
}

export function mysqlClientPath(): string {
  return existsSync('/usr/bin/mysql') ? '/usr/bin/mysql' : '/usr/bin/mariadb';
}

export async function startMariaDb(): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'mig-my-'));
  const data = join(dir, 'data');
  const socket = join(dir, 'sock');
  execFileSync('/usr/bin/mariadb-install-db', ['--no-defaults', '--user=root', `--datadir=${data}`, '--auth-root-authentication-method=socket', '--skip-test-db'], { stdio: 'pipe' });
  const port = await freePort();
  const child: ChildProcess = spawn('/usr/sbin/mariadbd', ['--no-defaults', '--user=root', `--datadir=${data}`, `--socket=${socket}`,
    `--port=${port}`, '--bind-address=127.0.0.1', `--pid-file=${join(dir, 'pid')}`, `--log-error=${join(dir, 'err.log')}`,
    '--innodb-buffer-pool-size=32M', '--innodb-flush-log-at-trx-commit=0', '--skip-log-bin'], { stdio: 'ignore' });
  const client = mysqlClientPath();
  const sqlAs = (db: string | undefined, sql: string) => execFileSync(client, ['--no-defaults', '-uroot', `--socket=${socket}`, '-N', '-B',
    ...(db ? [db] : []), '-e', sql], { stdio: 'pipe' }).toString();
  for (let i = 0; ; i++) {
    try { sqlAs(undefined, 'SELECT 1'); break; } catch (e) {
      if (i > 120) { child.kill('SIGKILL'); throw new Error(`mariadbd did not start: ${e}`); }
      await sleep(250);
    }
  }
  sqlAs(undefined, "CREATE USER 'app'@'%' IDENTIFIED BY 'app-secret'");
  const reset = () => {
    sqlAs(undefined, 'DROP DATABASE IF EXISTS app');
    sqlAs(undefined, 'CREATE DATABASE app');
    sqlAs(undefined, "GRANT ALL PRIVILEGES ON app.* TO 'app'@'%'");
  };
  reset();
  return {
    host: '127.0.0.1', port, database: 'app', user: 'app', password: 'app-secret',
    admin: sql => sqlAs('app', sql),
    reset,
    stop: () => {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
