/**
 * The scripts in the Cassandra manifests, executed verbatim (taken out of the synthesized
 * objects) under bash, against stand-in `nodetool`, `cqlsh` and `getent` executables from
 * test/support/fake-cassandra put first on the PATH. No Cassandra server can be installed here;
 * the stand-ins record their calls and answer as a live, joining, starting or dead node would.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { AddressInfo, Server, createServer } from 'net';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { parseDocument } from 'yaml';
import { CassandraDatacenter, CassandraVersion } from '../../lib/cassandra';
import { runArgvAsync } from '../support/commands';
import { findObject, synthValid, testChart } from '../support/synth';

const FAKES = resolve(__dirname, '..', 'support', 'fake-cassandra');

interface Result { code: number; stdout: string; stderr: string; log: string }

let manifests: any[];
let work: string;

beforeAll(() => {
  const chart = testChart('events');
  new CassandraDatacenter(chart, 'events', {
    racks: ['a', 'b', 'c'].map(z => ({ name: `zone-${z}`, zone: `eu-west-1${z}` })),
    nodesPerRack: 2,
    settings: { concurrentReads: 64, extra: { hinted_handoff_enabled: false, audit_logging_options: { enabled: false, logger: 'BinAuditLogger' } } },
  });
  manifests = synthValid(chart);
});

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'cass-'));
});

afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

function rack(name: string): any {
  return findObject(manifests, 'StatefulSet', name).spec.template.spec;
}

function container(spec: any, name: string): any {
  const c = [...(spec.initContainers ?? []), ...spec.containers].find((x: any) => x.name === name);
  if (!c) throw new Error(`no container ${name}`);
  return c;
}

/** Literal env values of a container (valueFrom entries are supplied by the test, as the kubelet would). */
function envOf(c: any): Record<string, string> {
  return Object.fromEntries((c.env ?? []).filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value]));
}

async function run(command: string[], env: Record<string, string>, timeoutMs = 20000): Promise<Result> {
  const logFile = join(work, 'calls.log');
  const result = await runArgvAsync(command, { PATH: `${FAKES}:${process.env.PATH}`, FAKE_CASSANDRA_LOG: logFile, FAKE_CASSANDRA_ROLES: join(work, 'roles'), ...env }, timeoutMs);
  let log = '';
  try { log = readFileSync(logFile, 'utf8'); } catch { /* no calls */ }
  return { ...result, log };
}

function listen(): Promise<Server> {
  return new Promise(ok => {
    const server = createServer(socket => socket.end());
    server.listen(0, '127.0.0.1', () => ok(server));
  });
}

function closedPort(): Promise<number> {
  return listen().then(server => new Promise(ok => {
    const port = (server.address() as AddressInfo).port;
    server.close(() => ok(port));
  }));
}

describe('wait-for-previous-rack init container', () => {
  function waitRun(stsName: string, pod: string, port: number, dns: Record<string, string>, extra: Record<string, string> = {}, timeout = '2'): Promise<Result> {
    const c = container(rack(stsName), 'wait-for-previous');
    writeFileSync(join(work, 'dns'), Object.entries(dns).map(([n, a]) => `${n} ${a}\n`).join(''));
    mkdirSync(join(work, 'data'), { recursive: true });
    return run(c.command, {
      ...envOf(c), POD_NAME: pod, PEER_CQL_PORT: String(port), CASSANDRA_DATA_DIR: join(work, 'data'),
      WAIT_TIMEOUT_SECONDS: timeout, WAIT_INTERVAL_SECONDS: '1', FAKE_DNS: join(work, 'dns'), ...extra,
    });
  }
  const zoneA0 = 'events-zone-a-0.events-headless.events.svc.cluster.local';

  test('the manifest carries the gate with the start order: rack b waits for rack a, rack a ordinal > 0 for the last rack', () => {
    expect(envOf(container(rack('events-zone-b'), 'wait-for-previous'))).toMatchObject({ WAIT_SAME_ORDINAL_OF: 'events-zone-a', WAIT_PREVIOUS_ORDINAL_OF: '', PEER_DOMAIN: 'events-headless.events.svc.cluster.local', PEER_CQL_PORT: '9042' });
    expect(envOf(container(rack('events-zone-c'), 'wait-for-previous'))).toMatchObject({ WAIT_SAME_ORDINAL_OF: 'events-zone-b' });
    expect(envOf(container(rack('events-zone-a'), 'wait-for-previous'))).toMatchObject({ WAIT_SAME_ORDINAL_OF: '', WAIT_PREVIOUS_ORDINAL_OF: 'events-zone-c' });
  });

  test('a first-starting node proceeds once the previous rack\'s node answers on CQL', async () => {
    const server = await listen();
    try {
      const r = await waitRun('events-zone-b', 'events-zone-b-0', (server.address() as AddressInfo).port, { [zoneA0]: '127.0.0.1' });
      expect(r.code).toBe(0);
      expect(r.log).toContain(`getent hosts ${zoneA0}`);
      expect(r.stdout).toContain('answers on');
    } finally { server.close(); }
  });

  test.each([1, 3])('it keeps polling until the previous node has a DNS record (%i missed lookups)', async missed => {
    // The stand-in finds no record for the first lookups, then the running server: the number of
    // polls is set by the stand-in, not by how fast this machine runs the script.
    const server = await listen();
    try {
      const r = await waitRun('events-zone-b', 'events-zone-b-0', (server.address() as AddressInfo).port, { [zoneA0]: '127.0.0.1' },
        { FAKE_DNS_MISSING_LOOKUPS: String(missed), WAIT_INTERVAL_SECONDS: '0' }, '600');
      expect(r.code).toBe(0);
      expect(r.log.split('\n').filter(l => l.startsWith('getent'))).toEqual(Array(missed + 1).fill(`getent hosts ${zoneA0}`));
      expect(r.stdout).toContain('answers on');
    } finally { server.close(); }
  });

  test('it gives up after the timeout (exit 1, the kubelet retries) when the previous node has no DNS record', async () => {
    const r = await waitRun('events-zone-b', 'events-zone-b-0', 9, {});
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no DNS record yet');
  });

  test('it gives up when the previous node resolves but does not answer', async () => {
    const r = await waitRun('events-zone-b', 'events-zone-b-0', await closedPort(), { [zoneA0]: '127.0.0.1' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('does not answer');
  });

  test('a node that has started before never waits', async () => {
    mkdirSync(join(work, 'data', 'data', 'system'), { recursive: true });
    const r = await waitRun('events-zone-b', 'events-zone-b-0', 9, {});
    expect(r.code).toBe(0);
    expect(r.log).toBe('');
  });

  test('the first node of the first rack never waits', async () => {
    const r = await waitRun('events-zone-a', 'events-zone-a-0', 9, {});
    expect(r.code).toBe(0);
    expect(r.log).toBe('');
  });

  test('ordinal 1 of the first rack waits for ordinal 0 of the last rack; ordinal 1 of rack c for ordinal 1 of rack b', async () => {
    const a1 = await waitRun('events-zone-a', 'events-zone-a-1', 9, {}, {}, '1');
    expect(a1.log).toContain('getent hosts events-zone-c-0.events-headless.events.svc.cluster.local');
    const c1 = await waitRun('events-zone-c', 'events-zone-c-1', 9, {}, {}, '1');
    expect(c1.log).toContain('getent hosts events-zone-b-1.events-headless.events.svc.cluster.local');
  });
});

describe('probes and preStop', () => {
  const main = () => container(rack('events-zone-a'), 'cassandra');
  const probes: Record<string, () => string[]> = {
    startup: () => main().startupProbe.exec.command,
    readiness: () => main().readinessProbe.exec.command,
    liveness: () => main().livenessProbe.exec.command,
    preStop: () => main().lifecycle.preStop.exec.command,
  };
  // expected exit status per node state: 0 passes, 1 fails
  test.each([
    ['startup', 'live', true, 'nodetool info'],
    ['startup', 'joining', true, 'nodetool info'],
    ['startup', 'starting', false, 'nodetool info'],
    ['startup', 'dead', false, 'nodetool info'],
    ['readiness', 'live', true, 'nodetool info'],
    ['readiness', 'joining', false, 'nodetool info'],
    ['readiness', 'starting', false, 'nodetool info'],
    ['readiness', 'dead', false, 'nodetool info'],
    ['liveness', 'live', true, 'nodetool version'],
    ['liveness', 'joining', true, 'nodetool version'],
    ['liveness', 'starting', true, 'nodetool version'],
    ['liveness', 'dead', false, 'nodetool version'],
    ['preStop', 'live', true, 'nodetool drain'],
    ['preStop', 'dead', false, 'nodetool drain'],
  ])('%s against a %s node passes: %s', async (probe, state, passes, call) => {
    // the container's env carries the node's heap; the probe must not hand it to nodetool's JVM
    const r = await run(probes[probe](), { FAKE_CASSANDRA_STATE: state, MAX_HEAP_SIZE: '2048M', HEAP_NEWSIZE: '100M' });
    expect(r.code === 0).toBe(passes);
    // one local call only, with a small heap: the probes never ask other nodes
    expect(r.log.trim().split('\n')).toEqual([`${call} [MAX_HEAP_SIZE=128M HEAP_NEWSIZE=32M]`]);
  });

  test('readiness and liveness differ; the startup budget covers the configured 30 minutes', () => {
    const c = main();
    expect(c.readinessProbe.exec.command).not.toEqual(c.livenessProbe.exec.command);
    expect(c.startupProbe.periodSeconds * c.startupProbe.failureThreshold).toBeGreaterThanOrEqual(1800);
  });
});

describe('superuser Job', () => {
  const job = () => findObject(manifests, 'Job').spec.template.spec.containers[0];
  function roles(): string[] {
    return readFileSync(join(work, 'roles'), 'utf8').trim().split('\n').filter(Boolean);
  }
  function jobRun(user: string, password: string, extra: Record<string, string> = {}): Promise<Result> {
    const c = job();
    return run(c.command, { ...envOf(c), SUPERUSER_NAME: user, SUPERUSER_PASSWORD: password, SETUP_TIMEOUT_SECONDS: '3', RETRY_INTERVAL_SECONDS: '1', ...extra });
  }

  test('the Job reads the superuser from the Secret and targets the client Service', () => {
    const c = job();
    expect(c.env.find((e: any) => e.name === 'SUPERUSER_PASSWORD').valueFrom.secretKeyRef).toEqual({ name: 'events-superuser', key: 'password' });
    expect(c.env.find((e: any) => e.name === 'SUPERUSER_NAME').valueFrom.secretKeyRef).toEqual({ name: 'events-superuser', key: 'username' });
    expect(envOf(c)).toMatchObject({ CQL_HOST: 'events.events.svc.cluster.local', CQL_PORT: '9042', AUTH_REPLICATION: "{'class': 'NetworkTopologyStrategy', 'events': 3}" });
  });

  test('on a fresh cluster it creates the superuser as cassandra, sets system_auth replication and drops cassandra', async () => {
    writeFileSync(join(work, 'roles'), 'cassandra\tcassandra\n');
    const r = await jobRun('admin', 's3cret');
    expect(r.code).toBe(0);
    expect(roles()).toEqual(['admin\ts3cret']);
    const calls = r.log.trim().split('\n');
    expect(calls[1]).toContain('user=cassandra stmt=CREATE ROLE IF NOT EXISTS "admin" WITH PASSWORD');
    expect(calls[2]).toContain("cqlsh host=events.events.svc.cluster.local port=9042 user=admin stmt=ALTER KEYSPACE system_auth WITH replication = {'class': 'NetworkTopologyStrategy', 'events': 3} argv=");
    expect(calls[3]).toContain('cqlsh host=events.events.svc.cluster.local port=9042 user=admin stmt=DROP ROLE IF EXISTS cassandra argv=');
  });

  test('no password and no statement reaches a command line: logins come from 0600 credentials files, statements from stdin', async () => {
    writeFileSync(join(work, 'roles'), 'cassandra\tcassandra\n');
    const r = await jobRun('admin', 'Sup3r-s3cret', { CREDENTIALS_DIR: join(work, 'creds') });
    expect(r.code).toBe(0);
    const argvs = r.log.trim().split('\n').map(l => l.slice(l.indexOf(' argv=') + 6));
    expect(argvs.length).toBe(4);
    for (const argv of argvs) {
      expect(argv).not.toContain('Sup3r-s3cret');
      expect(argv).not.toMatch(/(^| )(-p|--password)/);
      expect(argv).not.toMatch(/(^| )-e /);
      expect(argv).toMatch(/--credentials=\S+\/(superuser|default) /);
    }
    expect(statSync(join(work, 'creds', 'superuser')).mode & 0o777).toBe(0o600);
    expect(statSync(join(work, 'creds')).mode & 0o777).toBe(0o700);
    expect(readFileSync(join(work, 'creds', 'superuser'), 'utf8')).toBe('[PlainTextAuthProvider]\nusername = admin\npassword = Sup3r-s3cret\n');
  });

  test.each([
    ['a line break', 'pass\nword'],
    ['a leading blank', ' password'],
    ['a trailing blank', 'password '],
  ])('a password with %s is refused before any login (the credentials file could not carry it)', async (_what, password) => {
    writeFileSync(join(work, 'roles'), 'cassandra\tcassandra\n');
    const r = await jobRun('admin', password);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('must not contain line breaks');
    expect(r.log).toBe('');
  });

  test('running it again changes nothing and succeeds', async () => {
    writeFileSync(join(work, 'roles'), 'admin\ts3cret\n');
    const r = await jobRun('admin', 's3cret');
    expect(r.code).toBe(0);
    expect(r.log).not.toContain('CREATE ROLE');
    expect(roles()).toEqual(['admin\ts3cret']);
  });

  test('quotes in the name and password reach Cassandra intact', async () => {
    writeFileSync(join(work, 'roles'), 'cassandra\tcassandra\n');
    const password = `it's "quoted" & $HOME \\ ok`;
    const r = await jobRun('ad"min', password);
    expect(r.code).toBe(0);
    expect(roles()).toEqual([`ad"min\t${password}`]);
  });

  test('it retries while too few replicas are up, then succeeds', async () => {
    writeFileSync(join(work, 'roles'), 'cassandra\tcassandra\n');
    const r = await jobRun('admin', 's3cret', { FAKE_CQL_UNAVAILABLE_CALLS: '3', SETUP_TIMEOUT_SECONDS: '20' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('retrying');
    expect(roles()).toEqual(['admin\ts3cret']);
  });

  test('against a dead cluster it gives up after its timeout with exit 1', async () => {
    writeFileSync(join(work, 'roles'), 'cassandra\tcassandra\n');
    const r = await jobRun('admin', 's3cret', { FAKE_CASSANDRA_STATE: 'dead' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('gave up');
    expect(roles()).toEqual(['cassandra\tcassandra']);
  });

  test('it refuses a superuser named cassandra', async () => {
    writeFileSync(join(work, 'roles'), 'cassandra\tcassandra\n');
    const r = await jobRun('cassandra', 'x');
    expect(r.code).toBe(1);
    expect(r.log).toBe('');
  });
});

describe('config init container', () => {
  // A small cassandra.yaml written for this test in the shape of the image's file: scalar and
  // nested keys, commented-out keys, a nested seed provider.
  const SAMPLE = [
    '# Cassandra storage config YAML (test sample)',
    'cluster_name: \'Test Cluster\'',
    '',
    '# num_tokens: 256',
    'num_tokens: 16',
    'allocate_tokens_for_local_replication_factor: 3',
    '',
    '# Authentication backend',
    'authenticator:',
    '  class_name : org.apache.cassandra.auth.AllowAllAuthenticator',
    '# authenticator:',
    '#   class_name : org.apache.cassandra.auth.MutualTlsAuthenticator',
    'authorizer: AllowAllAuthorizer',
    'role_manager: CassandraRoleManager',
    '',
    'seed_provider:',
    '  - class_name: org.apache.cassandra.locator.SimpleSeedProvider',
    '    parameters:',
    '      - seeds: "127.0.0.1:7000"',
    'concurrent_reads: 32',
    '# hinted_handoff_enabled: true',
    'audit_logging_options:',
    '  enabled: false',
    '  logger:',
    '    - class_name: BinAuditLogger',
    'endpoint_snitch: SimpleSnitch',
    '',
  ].join('\n');

  test('copies the image configuration and applies the settings, each key once', async () => {
    const c = container(rack('events-zone-a'), 'config');
    const src = join(work, 'etc-cassandra');
    const dst = join(work, 'config');
    mkdirSync(src); mkdirSync(dst);
    writeFileSync(join(src, 'cassandra.yaml'), SAMPLE);
    writeFileSync(join(src, 'cassandra-rackdc.properties'), 'dc=dc1\nrack=rack1\n');
    const r = await run(c.command, { ...envOf(c), CONFIG_SOURCE: src, CONFIG_TARGET: dst });
    expect(r.code).toBe(0);
    const text = readFileSync(join(dst, 'cassandra.yaml'), 'utf8');
    const doc = parseDocument(text, { uniqueKeys: true });
    expect(doc.errors).toEqual([]);
    const y = doc.toJS();
    expect(y.authenticator).toEqual({ class_name: 'org.apache.cassandra.auth.PasswordAuthenticator' });
    expect(y.authorizer).toBe('org.apache.cassandra.auth.CassandraAuthorizer');
    expect(y.role_manager).toBe('org.apache.cassandra.auth.CassandraRoleManager');
    expect(y.concurrent_reads).toBe(64);
    expect(y.hinted_handoff_enabled).toBe(false);
    expect(y.audit_logging_options).toEqual({ enabled: false, logger: 'BinAuditLogger' });
    // untouched: what the entrypoint rewrites from the environment, and everything else
    expect(y.cluster_name).toBe('Test Cluster');
    expect(y.num_tokens).toBe(16); // now written by the construct (the sample had 16 too)
    expect(y.endpoint_snitch).toBe('SimpleSnitch');
    expect(y.seed_provider[0].parameters[0].seeds).toBe('127.0.0.1:7000');
    expect(text).toContain('#   class_name : org.apache.cassandra.auth.MutualTlsAuthenticator');
    expect(text).not.toContain('AllowAllAuthenticator');
    expect(readFileSync(join(dst, 'cassandra-rackdc.properties'), 'utf8')).toBe('dc=dc1\nrack=rack1\n');
    expect(readFileSync(join(src, 'cassandra.yaml'), 'utf8')).toBe(SAMPLE);
  });

  test('4.1: the authenticator stays a plain class name', async () => {
    const chart = testChart('events');
    new CassandraDatacenter(chart, 'old', { racks: [{ name: 'r1', zone: 'z1' }], version: CassandraVersion.V4_1 });
    const c = container(findObject(synthValid(chart), 'StatefulSet', 'old-r1').spec.template.spec, 'config');
    const src = join(work, 'src');
    const dst = join(work, 'dst');
    mkdirSync(src); mkdirSync(dst);
    writeFileSync(join(src, 'cassandra.yaml'), 'cluster_name: \'Test Cluster\'\nauthenticator: AllowAllAuthenticator\nauthorizer: AllowAllAuthorizer\nnum_tokens: 16\n');
    const r = await run(c.command, { ...envOf(c), CONFIG_SOURCE: src, CONFIG_TARGET: dst });
    expect(r.code).toBe(0);
    const doc = parseDocument(readFileSync(join(dst, 'cassandra.yaml'), 'utf8'), { uniqueKeys: true });
    expect(doc.errors).toEqual([]);
    expect(doc.toJS()).toEqual({
      cluster_name: 'Test Cluster', num_tokens: 16, allocate_tokens_for_local_replication_factor: 3,
      authenticator: 'org.apache.cassandra.auth.PasswordAuthenticator', authorizer: 'org.apache.cassandra.auth.CassandraAuthorizer',
      role_manager: 'org.apache.cassandra.auth.CassandraRoleManager',
    });
  });

  test('fails clearly when the source has no cassandra.yaml', async () => {
    const c = container(rack('events-zone-a'), 'config');
    mkdirSync(join(work, 'empty')); mkdirSync(join(work, 'out'));
    const r = await run(c.command, { ...envOf(c), CONFIG_SOURCE: join(work, 'empty'), CONFIG_TARGET: join(work, 'out') });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no cassandra.yaml');
  });
});
