import { ChildProcess, execFileSync, spawn, spawnSync, SpawnSyncReturns } from 'child_process';
import { randomBytes } from 'crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { createServer } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { unlessRequired } from './required-servers';
import { templateDir } from './template-dir';

/**
 * A throwaway MariaDB server for tests: its own data directory, socket and loopback TCP port,
 * started from Debian's `mariadb-server` binaries, with a random root password set through SQL.
 * The probe, backup and restore scripts of MySqlSingleNode run against it unchanged.
 * A server with no extra option file starts from a copy of a template data directory that
 * mariadb-install-db made once per server version and base settings (under the OS temporary
 * directory, shared by test workers and runs); one with an extra option file is installed with it.
 */
export interface MariaDb {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly socket: string;
  /** Temporary directory holding the data directory, socket, logs and any files tests create. */
  readonly dir: string;
  /** A file holding the root password, as a mounted Secret would. */
  readonly rootPasswordFile: string;
  /** Runs SQL as root over the socket; returns stdout (tab-separated, no column names). */
  sql(statements: string, database?: string): string;
  /** Stops the server (SIGTERM, waits for exit); the directory stays until `cleanup()`. */
  stop(): Promise<void>;
  /** Stops the server if running and deletes the directory. */
  cleanup(): Promise<void>;
}

const BINARIES = ['mariadbd', 'mariadb-install-db', 'mysqladmin', 'mysqldump', 'mysql', 'gzip'];

function which(binary: string): string | undefined {
  const result = spawnSync('sh', ['-c', `command -v ${binary}`], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/** Why a MariaDB server cannot be started here, or undefined when it can (throws under REQUIRE_DB_SERVERS=1). */
export function mariaDbUnavailable(): string | undefined {
  const missing = BINARIES.filter(b => !which(b) && !existsSync(`/usr/sbin/${b}`));
  return unlessRequired(missing.length > 0
    ? `MariaDB binaries not found (${missing.join(', ')}); install Debian's mariadb-server and mariadb-client (apt-get install mariadb-server)`
    : undefined);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/** The [mysqld] settings of a server whose files live in `dir`. */
function baseSettings(dir: string, port: number): string[] {
  return [
    '[mysqld]',
    `datadir=${join(dir, 'data')}`,
    `socket=${join(dir, 'mysqld.sock')}`,
    `port=${port}`,
    'bind-address=127.0.0.1',
    `pid-file=${join(dir, 'mysqld.pid')}`,
    `log-error=${join(dir, 'error.log')}`,
    'user=root',
    'innodb_buffer_pool_size=64M',
    'innodb_log_file_size=16M',
    // A throwaway server: no waiting on the disk (a rendered option file included below may still override).
    'innodb_flush_log_at_trx_commit=2',
    'innodb_doublewrite=0',
    'sync_binlog=0',
  ];
}

/**
 * The template data directory for this server version and the base settings, made by
 * mariadb-install-db once (a `ready` file marks it complete).
 */
function templateDataDir(): string {
  const version = execFileSync('mariadbd', ['--version'], { encoding: 'utf8' }).trim();
  return join(templateDir('cdk8s-data-mariadb-templates', [version, baseSettings('<dir>', 0)], 'ready', making => {
    mkdirSync(join(making, 'data'));
    const config = join(making, 'my.cnf');
    writeFileSync(config, `${baseSettings(making, 0).join('\n')}\n`);
    execFileSync('mariadb-install-db', [`--defaults-file=${config}`, '--auth-root-authentication-method=normal', '--skip-test-db'], { stdio: 'pipe' });
    writeFileSync(join(making, 'ready'), '');
  }), 'data');
}

/**
 * Starts a server. `extraConfig` is an option file included after the base settings (for
 * example the construct's rendered `my.cnf`), so the test also proves the server accepts it.
 */
export async function startMariaDb(options: { extraConfig?: string } = {}): Promise<MariaDb> {
  const reason = mariaDbUnavailable();
  if (reason) throw new Error(reason);
  const dir = mkdtempSync(join(tmpdir(), 'cdk8s-data-mariadb-'));
  const datadir = join(dir, 'data');
  const socket = join(dir, 'mysqld.sock');
  const port = await freePort();
  const rootPassword = randomBytes(12).toString('hex');
  const rootPasswordFile = join(dir, 'root-password');
  writeFileSync(rootPasswordFile, rootPassword, { mode: 0o400 });
  const lines = baseSettings(dir, port);
  if (options.extraConfig !== undefined) {
    const extra = join(dir, 'extra.cnf');
    writeFileSync(extra, options.extraConfig);
    lines.push(`!include ${extra}`);
  }
  const config = join(dir, 'my.cnf');
  writeFileSync(config, `${lines.join('\n')}\n`);

  if (options.extraConfig === undefined) {
    execFileSync('cp', ['-a', templateDataDir(), datadir], { stdio: 'pipe' });
  } else {
    // The extra options may shape the files install-db writes (page size, binary log, ...).
    mkdirSync(datadir);
    execFileSync('mariadb-install-db', [`--defaults-file=${config}`, '--auth-root-authentication-method=normal', '--skip-test-db'], { stdio: 'pipe' });
  }
  const child: ChildProcess = spawn('mariadbd', [`--defaults-file=${config}`], { stdio: 'ignore' });
  let exited = false;
  const exitPromise = new Promise<void>(resolve => child.once('exit', () => { exited = true; resolve(); }));

  const admin = (args: string[], password?: string): SpawnSyncReturns<string> => spawnSync('mysqladmin',
    ['--no-defaults', `--socket=${socket}`, '--user=root', ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, ...(password ? { MYSQL_PWD: password } : {}) } });
  const deadline = Date.now() + 60_000;
  while (admin(['ping']).status !== 0) {
    if (exited || Date.now() > deadline) {
      const log = spawnSync('tail', ['-n', '30', join(dir, 'error.log')], { encoding: 'utf8' }).stdout;
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`MariaDB did not start:\n${log}`);
    }
    await sleep(100);
  }

  const client = (statements: string, password: string | undefined, database?: string): string => execFileSync('mysql',
    ['--no-defaults', `--socket=${socket}`, '--user=root', '--batch', '--skip-column-names', ...(database ? [`--database=${database}`] : []), `--execute=${statements}`],
    { encoding: 'utf8', env: { PATH: process.env.PATH, ...(password ? { MYSQL_PWD: password } : {}) } });
  // The root account the official image creates: root@localhost and root@'%', with the password.
  const otherRoots = client("SELECT CONCAT(QUOTE(user), '@', QUOTE(host)) FROM mysql.user WHERE (user = 'root' AND host NOT IN ('localhost')) OR user = ''", undefined)
    .split('\n').filter(line => line.trim() !== '');
  client([
    ...otherRoots.map(account => `DROP USER ${account}`),
    `ALTER USER 'root'@'localhost' IDENTIFIED BY '${rootPassword}'`,
    `CREATE USER 'root'@'%' IDENTIFIED BY '${rootPassword}'`,
    "GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION",
    'FLUSH PRIVILEGES',
  ].join('; '), undefined);

  const stop = async (): Promise<void> => {
    if (!exited) {
      child.kill('SIGTERM');
      await exitPromise;
    }
  };
  return {
    host: '127.0.0.1',
    port,
    socket,
    dir,
    rootPasswordFile,
    sql: (statements, database) => client(statements, rootPassword, database),
    stop,
    cleanup: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
