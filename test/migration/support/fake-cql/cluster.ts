/**
 * The model behind the stand-in `cqlsh` of the Cassandra runner tests (no Cassandra server runs in
 * the tests). One call is `handleCall`: it keeps a tiny cluster model in the JSON file
 * $FAKE_CQL_STATE, appends every statement it executes to $FAKE_CQL_LOG (one JSON object per line)
 * and answers in cqlsh's table format:
 * - keyspaces and tables (CREATE ... [IF NOT EXISTS], errors when missing or already there);
 * - schema agreement: after each schema change, the next $FAKE_CQL_DISAGREE_POLLS reads of
 *   system.peers report a second schema version (default 1);
 * - the lightweight-transaction lock row (INSERT ... IF NOT EXISTS USING TTL, UPDATE/DELETE ... IF
 *   owner = ...) with real expiry;
 * - the tracking table rows;
 * - logins checked against $FAKE_CQL_USER / $FAKE_CQL_PASSWORD when set; a login comes from -u/-p
 *   or, as cqlsh 4.1+ reads it, from a `--credentials` INI file ([PlainTextAuthProvider] username
 *   and password), which cqlsh ignores unless the caller owns it and no one else may read it;
 * - every call, before anything else, is appended to $FAKE_CQL_CALLS when set (one JSON object per
 *   line): its whole argv (what `ps` would show), where the login came from (`login`: "argv",
 *   "credentials" or "none"), the user, and whether CQLSH_PASSWORD was in its environment;
 * - a statement matching the regular expression $FAKE_CQL_FAIL fails with a SyntaxException.
 * The calls reach it one at a time (server.ts runs it in the test's process), so concurrent
 * runners see a consistent cluster and a test may edit the state file between calls.
 */
import * as fs from 'fs';

/** One cqlsh invocation as the client saw it. */
export interface CqlCall {
  readonly argv: string[];
  /** The FAKE_CQL_* variables of the caller's environment. */
  readonly env: Record<string, string | undefined>;
  /** Whether CQLSH_PASSWORD was in the caller's environment. */
  readonly passwordInEnv: boolean;
  /** The pid of the caller's parent (the runner's shell). */
  readonly ppid: number;
}

export interface CqlAnswer {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

interface LockRow { owner: string; expires: number }
interface State {
  keyspaces: Record<string, string>;
  tables: Record<string, boolean>;
  rows: Record<string, Record<string, { version: string; name: string; checksum: string }>>;
  lock: LockRow | null;
  disagree: number;
  schemaVersion: number;
}

export function handleCall(call: CqlCall): CqlAnswer {
  const { argv: args, env } = call;
  let stdout = '';
  let stderr = '';
  let user = '';
  let password = '';
  let exec: string | undefined;
  let file: string | undefined;
  let credentials: string | undefined;
  let login = 'none';
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-u') { user = args[++i]; login = 'argv'; } else if (a === '-p') { password = args[++i]; login = 'argv'; } else if (a === '-e') exec = args[++i];
    else if (a === '-f') file = args[++i];
    else if (a.startsWith('--credentials=')) credentials = a.slice('--credentials='.length);
  }
  if (credentials !== undefined && login === 'none') readCredentials(credentials);
  if (env.FAKE_CQL_CALLS) fs.appendFileSync(env.FAKE_CQL_CALLS, JSON.stringify({ argv: args, login, user, passwordInEnv: call.passwordInEnv }) + '\n');

  function readCredentials(path: string) {
    let st: fs.Stats;
    try { st = fs.statSync(path); } catch { return; }
    if (st.uid !== process.getuid!() || (st.mode & 0o077) !== 0) {
      stderr += `Warning: Credentials file '${path}' exists but is not used, because the file owner is not the current user or it is readable by group or other.\n`;
      return;
    }
    let section = '';
    for (const line of fs.readFileSync(path, 'utf8').split('\n')) {
      const head = /^\[(.*)\]$/.exec(line);
      if (head) { section = head[1]; continue; }
      const eq = line.indexOf('=');
      if (section !== 'PlainTextAuthProvider' || eq < 0) continue;
      const key = line.slice(0, eq).trim();
      const value = line.slice(eq + 1).trim();
      if (key === 'username') user = value;
      if (key === 'password') password = value;
    }
    login = 'credentials';
  }
  const stateFile = env.FAKE_CQL_STATE;
  const logFile = env.FAKE_CQL_LOG;
  if (!stateFile || !logFile) return { code: 9, stdout, stderr: stderr + 'FAKE_CQL_STATE and FAKE_CQL_LOG must be set\n' };
  if (env.FAKE_CQL_USER && (user !== env.FAKE_CQL_USER || password !== env.FAKE_CQL_PASSWORD)) {
    return { code: 1, stdout, stderr: stderr + "Connection error: ('Unable to connect to any servers', {'127.0.0.1:9042': AuthenticationFailed('Failed to authenticate')})\n" };
  }

  let code = 0;
  const state: State = fs.existsSync(stateFile) ? JSON.parse(fs.readFileSync(stateFile, 'utf8'))
    : { keyspaces: {}, tables: {}, rows: {}, lock: null, disagree: 0, schemaVersion: 1 };
  const text = exec !== undefined ? exec : fs.readFileSync(file!, 'utf8');
  const statements = text.split('\n').filter(l => !/^\s*(--|\/\/)/.test(l)).join('\n').split(';').map(s => s.trim()).filter(Boolean);
  for (const stmt of statements) {
    const out = run(stmt.replace(/\s+/g, ' '));
    if (out.error) { stderr += `<stdin>:1:${out.error}\n`; code = 2; break; }
    if (out.text) stdout += out.text;
  }
  fs.writeFileSync(stateFile, JSON.stringify(state));
  return { code, stdout, stderr };

  function record(stmt: string, kind: string) {
    fs.appendFileSync(logFile!, JSON.stringify({ stmt, kind, user, pid: call.ppid }) + '\n');
  }

  function schemaChange() {
    state.schemaVersion += 1;
    state.disagree = Number(env.FAKE_CQL_DISAGREE_POLLS ?? '1');
  }

  function run(stmt: string): { text?: string; error?: string } {
    const fail = env.FAKE_CQL_FAIL;
    if (fail && new RegExp(fail).test(stmt)) { record(stmt, 'failed'); return { error: `SyntaxException: line 1:0 no viable alternative at input (${stmt.slice(0, 30)})` }; }
    let m: RegExpExecArray | null;
    if ((m = /^(SERIAL )?CONSISTENCY (\w+)$/i.exec(stmt))) return { text: `${m[1] ? 'Serial c' : 'C'}onsistency level set to ${m[2].toUpperCase()}.\n` };
    if (/^SELECT release_version FROM system\.local$/i.test(stmt)) return { text: table(['release_version'], [['5.0.2']]) };
    if (/^SELECT schema_version FROM system\.local$/i.test(stmt)) { record(stmt, 'agreement'); return { text: table(['schema_version'], [[uuid(state.schemaVersion)]]) }; }
    if (/^SELECT schema_version FROM system\.peers$/i.test(stmt)) {
      const peer = state.disagree > 0 ? uuid(state.schemaVersion - 1) : uuid(state.schemaVersion);
      if (state.disagree > 0) state.disagree -= 1;
      return { text: table(['schema_version'], [[peer], [uuid(state.schemaVersion)]]) };
    }
    if ((m = /^CREATE KEYSPACE (IF NOT EXISTS )?(\w+) WITH replication = (.*)$/i.exec(stmt))) {
      record(stmt, 'ddl');
      const ks = m[2].toLowerCase();
      if (state.keyspaces[ks]) return m[1] ? {} : { error: `AlreadyExists: Keyspace '${ks}' already exists` };
      state.keyspaces[ks] = m[3];
      schemaChange();
      return {};
    }
    if ((m = /^CREATE (TABLE|TYPE|INDEX|MATERIALIZED VIEW) (IF NOT EXISTS )?(?:(\w+) ON )?(\w+)\.(\w+)/i.exec(stmt))) {
      record(stmt, 'ddl');
      const ks = m[4].toLowerCase();
      const name = `${ks}.${m[5].toLowerCase()}`;
      if (!state.keyspaces[ks]) return { error: `InvalidRequest: Keyspace '${ks}' does not exist` };
      if (state.tables[name]) return m[2] ? {} : { error: `AlreadyExists: Table '${name}' already exists` };
      state.tables[name] = true;
      schemaChange();
      return {};
    }
    if (/^(ALTER|DROP|TRUNCATE)\b/i.test(stmt)) { record(stmt, 'ddl'); schemaChange(); return {}; }
    if ((m = /^INSERT INTO (\w+)\.migration_lock \(id, owner\) VALUES \('lock', '([^']+)'\) IF NOT EXISTS USING TTL (\d+)$/i.exec(stmt))) {
      record(stmt, 'lock');
      const now = Date.now();
      if (state.lock && state.lock.expires > now) return { text: table(['[applied]', 'id', 'owner'], [['False', 'lock', state.lock.owner]]) };
      state.lock = { owner: m[2], expires: now + Number(m[3]) * 1000 };
      return { text: table(['[applied]'], [['True']]) };
    }
    if ((m = /^UPDATE (\w+)\.migration_lock USING TTL (\d+) SET owner = '([^']+)' WHERE id = 'lock' IF owner = '([^']+)'$/i.exec(stmt))) {
      record(stmt, 'lock');
      if (state.lock && state.lock.expires > Date.now() && state.lock.owner === m[4]) {
        state.lock.expires = Date.now() + Number(m[2]) * 1000;
        return { text: table(['[applied]'], [['True']]) };
      }
      return { text: table(['[applied]', 'owner'], [['False', state.lock ? state.lock.owner : 'null']]) };
    }
    if ((m = /^DELETE FROM (\w+)\.migration_lock WHERE id = 'lock' IF owner = '([^']+)'$/i.exec(stmt))) {
      record(stmt, 'lock');
      if (state.lock && state.lock.owner === m[2]) { state.lock = null; return { text: table(['[applied]'], [['True']]) }; }
      return { text: table(['[applied]'], [['False']]) };
    }
    if ((m = /^SELECT version, checksum FROM (\w+)\.applied_migrations$/i.exec(stmt))) {
      const rows = Object.values(state.rows[`${m[1]}.applied_migrations`] ?? {}).map(r => [r.version, r.checksum]);
      return { text: table(['version', 'checksum'], rows) };
    }
    if ((m = /^INSERT INTO (\w+)\.applied_migrations \(version, name, checksum, applied_at\) VALUES \('(\w+)', '([^']+)', '([0-9a-f]{64})', toTimestamp\(now\(\)\)\)$/i.exec(stmt))) {
      record(stmt, 'track');
      const key = `${m[1]}.applied_migrations`;
      state.rows[key] = state.rows[key] ?? {};
      state.rows[key][m[2]] = { version: m[2], name: m[3], checksum: m[4] };
      return {};
    }
    record(stmt, 'other');
    return {};
  }
}

function uuid(n: number) { return `${String(n).padStart(8, '0')}-0000-4000-8000-000000000000`; }

function table(columns: string[], rows: string[][]) {
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map(r => String(r[i]).length)));
  const line = (cells: string[]) => ' ' + cells.map((c, i) => String(c).padStart(widths[i])).join(' | ');
  return `\n${line(columns)}\n${widths.map(w => '-'.repeat(w + 2)).join('+').slice(1)}\n${rows.map(line).join('\n')}${rows.length ? '\n' : ''}\n(${rows.length} rows)\n`;
}
