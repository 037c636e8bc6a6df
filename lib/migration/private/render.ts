import { k8s } from 'cdk8s-plus-28';
import { DatabaseEngine } from '../../core/connection';
import { CASSANDRA_RUNNER, MYSQL_RUNNER, POSTGRES_RUNNER } from './scripts';
import { MigrationSettings } from './settings';
import { sha256Hex } from './atlas-sum';

/** The runner script of the target's engine. */
export function runnerScript(engine: DatabaseEngine): string {
  switch (engine) {
    case DatabaseEngine.POSTGRESQL: return POSTGRES_RUNNER;
    case DatabaseEngine.MYSQL: return MYSQL_RUNNER;
    default: return CASSANDRA_RUNNER;
  }
}

/** The Atlas Operator's `credentials` block: host and port literal, user and password from the Secret. */
export function atlasCredentials(s: MigrationSettings): any {
  const c = s.connection;
  const secret = s.credentials!;
  return {
    scheme: c.engine === DatabaseEngine.POSTGRESQL ? 'postgres' : 'mysql',
    host: c.host,
    port: c.port,
    database: c.database,
    userFrom: { secretKeyRef: { name: secret.name, key: secret.usernameKey } },
    passwordFrom: { secretKeyRef: { name: secret.name, key: secret.passwordKey } },
    parameters: c.engine === DatabaseEngine.POSTGRESQL
      ? { sslmode: c.tls ? 'require' : 'disable' }
      : (c.tls ? { tls: 'true' } : undefined),
  };
}

function secretEnv(name: string, secretName: string, key: string): k8s.EnvVar {
  return { name, valueFrom: { secretKeyRef: { name: secretName, key } } };
}

/** The runner's environment (documented in each script under private/scripts). */
export function jobEnv(s: MigrationSettings): k8s.EnvVar[] {
  const c = s.connection;
  const job = s.job!;
  const secret = s.credentials;
  const common: k8s.EnvVar[] = [
    { name: 'HOME', value: '/tmp' },
    { name: 'MIGRATIONS_DIR', value: '/migrations' },
    { name: 'ALLOW_DESTRUCTIVE', value: s.allowDestructive ? 'true' : 'false' },
    // The files the synth-time check passed: the runner applies no other file without the opt-in.
    ...(s.allowDestructive ? [] : [{ name: 'REVIEWED_CHECKSUMS', value: s.files.map(f => sha256Hex(f.content)).join(' ') }]),
  ];
  switch (c.engine) {
    case DatabaseEngine.POSTGRESQL:
      return [
        ...common,
        { name: 'TRACKING_TABLE', value: job.tracking },
        { name: 'PGHOST', value: c.host },
        { name: 'PGPORT', value: String(c.port) },
        { name: 'PGDATABASE', value: c.database! },
        { name: 'PGSSLMODE', value: c.tls ? 'require' : 'disable' },
        { name: 'PGCONNECT_TIMEOUT', value: '10' },
        { name: 'PGAPPNAME', value: s.name },
        secretEnv('PGUSER', secret!.name, secret!.usernameKey),
        secretEnv('PGPASSWORD', secret!.name, secret!.passwordKey),
      ];
    case DatabaseEngine.MYSQL:
      return [
        ...common,
        { name: 'TRACKING_TABLE', value: job.tracking },
        { name: 'DB_HOST', value: c.host },
        { name: 'DB_PORT', value: String(c.port) },
        { name: 'DB_NAME', value: c.database! },
        ...(c.tls ? [{ name: 'DB_SSL_MODE', value: 'REQUIRED' }] : []),
        secretEnv('DB_USER', secret!.name, secret!.usernameKey),
        secretEnv('MYSQL_PWD', secret!.name, secret!.passwordKey),
      ];
    default:
      return [
        ...common,
        { name: 'MIGRATION_KS', value: job.tracking },
        { name: 'MIGRATION_KS_REPLICATION', value: `{'class': 'NetworkTopologyStrategy', '${c.datacenter}': ${job.replicationFactor}}` },
        { name: 'CQLSH_HOST', value: c.host },
        { name: 'CQLSH_PORT', value: String(c.port) },
        ...(c.tls ? [{ name: 'CQLSH_SSL', value: 'true' }] : []),
        // Without a Secret (authentication off) cqlsh connects anonymously.
        ...(secret ? [secretEnv('CQLSH_USER', secret.name, secret.usernameKey), secretEnv('CQLSH_PASSWORD', secret.name, secret.passwordKey)] : []),
      ];
  }
}
