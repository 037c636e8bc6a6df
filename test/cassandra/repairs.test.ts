/**
 * Scheduled repairs: the CronJob, remote JMX with authentication, the NetworkPolicy, the repair
 * alerts, and the scripts (repair Job, JMX files, exporter start, probes with a JMX login)
 * executed verbatim under bash against the stand-in `nodetool` of test/support/fake-cassandra
 * (no Cassandra server can run here).
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { Cron, Duration } from 'cdk8s';
import { CassandraDatacenter, CassandraDatacenterProps } from '../../lib/cassandra';
import { Credentials } from '../../lib/core';
import { runArgvAsync } from '../support/commands';
import { promqlErrors } from '../support/promql';
import { findObject, synthValid, testChart, validationErrorOf } from '../support/synth';

const FAKES = resolve(__dirname, '..', 'support', 'fake-cassandra');
const RACKS = ['a', 'b', 'c'].map(z => ({ name: `zone-${z}`, zone: `eu-west-1${z}` }));
const JMX = Credentials.fromSecret('events-jmx');

function synth(props: Partial<CassandraDatacenterProps> = {}): any[] {
  const chart = testChart('events');
  new CassandraDatacenter(chart, 'events', { racks: RACKS, nodesPerRack: 2, repairs: { jmxCredentials: JMX }, ...props });
  return synthValid(chart);
}

const manifests = synth();
const cronJob = findObject(manifests, 'CronJob', 'events-repair');
const repairContainer = cronJob.spec.jobTemplate.spec.template.spec.containers[0];
const pod = findObject(manifests, 'StatefulSet', 'events-zone-a').spec.template.spec;
const cassandra = pod.containers.find((c: any) => c.name === 'cassandra');
const exporter = pod.containers.find((c: any) => c.name === 'exporter');
const configInit = pod.initContainers.find((c: any) => c.name === 'config');
const NODES = ['a', 'b', 'c'].flatMap(z => [0, 1].map(i => `events-zone-${z}-${i}.events-headless.events.svc.cluster.local`));

describe('repair CronJob', () => {
  test('weekly, never concurrent, no retry, bounded, history kept', () => {
    expect(cronJob.spec).toMatchObject({ schedule: '0 1 * * 0', timeZone: 'Etc/UTC', concurrencyPolicy: 'Forbid', startingDeadlineSeconds: 7200, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 3 });
    expect(cronJob.spec.jobTemplate.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 86400, ttlSecondsAfterFinished: 3 * 86400 });
    expect(cronJob.spec.jobTemplate.spec.template.spec.restartPolicy).toBe('Never');
  });

  test('it lists every node by its stable name and reads the JMX account from the Secret', () => {
    const env = Object.fromEntries(repairContainer.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
    expect(env.NODES.split(' ')).toEqual(NODES);
    expect(env.JMX_PORT).toBe('7199');
    expect(env.JMX_USERNAME).toEqual({ secretKeyRef: { name: 'events-jmx', key: 'username' } });
    expect(env.JMX_PASSWORD).toEqual({ secretKeyRef: { name: 'events-jmx', key: 'password' } });
    expect(repairContainer.image).toBe('cassandra:5.0.5');
  });

  test('JMX is remote and authenticated on the nodes; the probes and the exporter log in from files', () => {
    const env = Object.fromEntries(cassandra.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
    expect(env.LOCAL_JMX).toBe('no');
    expect(env.JVM_EXTRA_OPTS).toBe('-Dcom.sun.management.jmxremote.access.file=/etc/cassandra/jmxremote.access -Djava.rmi.server.hostname=$(POD_IP)');
    expect(cassandra.env.findIndex((e: any) => e.name === 'POD_IP')).toBeLessThan(cassandra.env.findIndex((e: any) => e.name === 'JVM_EXTRA_OPTS'));
    expect(env.JMX_USERNAME).toEqual({ secretKeyRef: { name: 'events-jmx', key: 'username' } });
    // The node's container never holds the password itself: it is in the password file.
    expect(env.JMX_PASSWORD).toBeUndefined();
    expect(cassandra.ports).toContainEqual({ name: 'jmx', containerPort: 7199, protocol: 'TCP' });
    expect(configInit.command[2]).toContain('jmxremote.password');
    expect(exporter.command.slice(0, 2)).toEqual(['bash', '-c']);
  });

  test('the NetworkPolicy opens 7199 to the repair pods only; the repair pods accept nothing', () => {
    const np = findObject(manifests, 'NetworkPolicy', 'events');
    const jmxRules = np.spec.ingress.filter((r: any) => r.ports.some((p: any) => p.port === 7199));
    expect(jmxRules).toEqual([{ from: [{ podSelector: { matchLabels: cronJob.spec.jobTemplate.spec.template.metadata.labels && {
      'app.kubernetes.io/name': 'cassandra', 'app.kubernetes.io/instance': 'events', 'app.kubernetes.io/component': 'repair' } } }], ports: [{ protocol: 'TCP', port: 7199 }] }]);
    const own = findObject(manifests, 'NetworkPolicy', 'events-repair');
    expect(own.spec.podSelector.matchLabels['app.kubernetes.io/component']).toBe('repair');
    expect(own.spec.ingress ?? []).toEqual([]);
    expect(own.spec.policyTypes).toEqual(['Ingress']);
  });

  test('failure and overdue repairs are alerts; their PromQL parses', () => {
    const rules: any[] = findObject(manifests, 'PrometheusRule', 'events').spec.groups[0].rules;
    const failed = rules.find(r => r.alert === 'CassandraRepairFailed');
    const overdue = rules.find(r => r.alert === 'CassandraRepairOverdue');
    expect(failed.expr).toContain('job_name=~"events-repair-[0-9]+"');
    // Two weekly gaps plus the timeout: one missed run is tolerated, two are not.
    expect(overdue.expr).toBe(`time() - kube_cronjob_status_last_successful_time{namespace="events", cronjob="events-repair"} > ${2 * 7 * 86400 + 86400}`);
    expect(overdue.labels.severity).toBe('critical');
    for (const r of rules) expect({ alert: r.alert, errors: promqlErrors(r.expr) }).toEqual({ alert: r.alert, errors: [] });
  });

  test('keyspaces, schedule and time zone are rendered as given', () => {
    const custom = synth({ repairs: { jmxCredentials: JMX, keyspaces: ['events', 'audit'], schedule: Cron.schedule({ minute: '30', hour: '2', weekDay: '3' }), timeZone: 'Europe/Berlin', timeout: Duration.hours(12) } });
    const cj = findObject(custom, 'CronJob');
    expect(cj.spec).toMatchObject({ schedule: '30 2 * * 3', timeZone: 'Europe/Berlin' });
    expect(cj.spec.jobTemplate.spec.template.spec.containers[0].env.find((e: any) => e.name === 'KEYSPACES').value).toBe('events audit');
  });

  test('without repairs JMX stays local: no LOCAL_JMX, no jmx port, no CronJob', () => {
    const chart = testChart('events');
    new CassandraDatacenter(chart, 'events', { racks: RACKS });
    const plain = synthValid(chart);
    expect(plain.map(m => m.kind)).not.toContain('CronJob');
    const c = findObject(plain, 'StatefulSet', 'events-zone-a').spec.template.spec.containers[0];
    expect(c.env.map((e: any) => e.name)).not.toContain('LOCAL_JMX');
    expect(c.ports.map((p: any) => p.containerPort)).not.toContain(7199);
  });
});

describe('bad repairs input', () => {
  test.each<[string, Partial<CassandraDatacenterProps>, string[]]>([
    ['no JMX credentials', { repairs: {} as any }, ['repairs.jmxCredentials']],
    ['schedule wider than gc_grace_seconds', { repairs: { jmxCredentials: JMX, schedule: Cron.schedule({ minute: '0', hour: '1', day: '1' }) } }, ['repairs.schedule']],
    ['bad time zone', { repairs: { jmxCredentials: JMX, timeZone: 'Mars/Olympus' } }, ['repairs.timeZone']],
    ['timeout too short', { repairs: { jmxCredentials: JMX, timeout: Duration.minutes(1) } }, ['repairs.timeout']],
    ['bad keyspace', { repairs: { jmxCredentials: JMX, keyspaces: ['bad-name'] } }, ['repairs.keyspaces[0]']],
    ['keyspace twice', { repairs: { jmxCredentials: JMX, keyspaces: ['a', 'a'] } }, ['repairs.keyspaces']],
    ['name too long for the CronJob', { name: 'e'.repeat(46), racks: [{ name: 'a', zone: 'z' }], repairs: { jmxCredentials: JMX } }, ['name']],
  ])('%s', (_label, props, fields) => {
    const chart = testChart('events');
    expect(validationErrorOf(() => new CassandraDatacenter(chart, 'events', { racks: RACKS, ...props })).fields).toEqual(fields);
  });
});

interface Result { code: number; stdout: string; stderr: string; log: string }
let work: string;
beforeEach(() => { work = mkdtempSync(join(tmpdir(), 'cass-repair-')); });
afterEach(() => rmSync(work, { recursive: true, force: true }));

async function run(command: string[], env: Record<string, string>): Promise<Result> {
  const logFile = join(work, 'calls.log');
  const result = await runArgvAsync(command, { PATH: `${work}:${FAKES}:${process.env.PATH}`, FAKE_CASSANDRA_LOG: logFile, HOME: work, ...env });
  let log = '';
  try { log = readFileSync(logFile, 'utf8'); } catch { /* no calls */ }
  return { ...result, log };
}

function literalEnv(c: any): Record<string, string> {
  return Object.fromEntries((c.env ?? []).filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value]));
}

describe('repair script (stand-in nodetool)', () => {
  const CREDS = { JMX_USERNAME: 'repairer', JMX_PASSWORD: 'j-s3cret', FAKE_JMX_CREDENTIALS: 'repairer j-s3cret' };
  const repair = (extra: Record<string, string> = {}) => run(repairContainer.command, { ...literalEnv(repairContainer), ...CREDS, HOME: work, ...extra });
  const repairCalls = (log: string) => log.trim().split('\n').filter(l => / repair /.test(l));

  test('all nodes up: each node\'s primary ranges, one after the other, full, never forced; exit 0', async () => {
    const r = await repair();
    expect(r.code).toBe(0);
    const calls = repairCalls(r.log);
    expect(calls).toHaveLength(6);
    calls.forEach((call, i) => expect(call).toMatch(new RegExp(`^nodetool -h ${NODES[i].replace(/\./g, '\\.')} -p 7199 -u repairer -pwf \\S+ repair --full --partitioner-range \\[`)));
    expect(r.log).not.toContain('--force');
    expect(r.log).not.toContain('j-s3cret');
    expect(r.stdout).toContain('repair complete: 6 nodes');
  });

  test('the password file it logs in with is private', async () => {
    const r = await repair();
    expect(r.code).toBe(0);
    expect(statSync(join(work, 'jmxremote.password')).mode & 0o077).toBe(0);
  });

  test('a down node: the others are repaired among live replicas (--force), then the run fails for the alert', async () => {
    const r = await repair({ FAKE_DOWN_HOSTS: NODES[3] });
    expect(r.code).toBe(1);
    const calls = repairCalls(r.log);
    expect(calls).toHaveLength(5);
    for (const call of calls) expect(call).toContain('--force');
    expect(r.log).not.toContain(`-h ${NODES[3]} -p 7199 -u repairer -pwf ${join(work, 'jmxremote.password')} repair`);
    expect(r.stderr).toContain(`repair incomplete: down ${NODES[3]}; failed none`);
  });

  test('a failing node does not stop the others; the run fails', async () => {
    const r = await repair({ FAKE_REPAIR_FAIL_HOSTS: NODES[1] });
    expect(r.code).toBe(1);
    expect(repairCalls(r.log)).toHaveLength(6);
    expect(r.stderr).toContain(`failed ${NODES[1]}`);
  });

  test('repair work still active on a node: this run starts no repair at all', async () => {
    const r = await repair({ FAKE_REPAIR_ACTIVE_HOSTS: NODES[4] });
    expect(r.code).toBe(1);
    expect(repairCalls(r.log)).toEqual([]);
    expect(r.stderr).toContain(`repair work is still active on ${NODES[4]} (ValidationExecutor)`);
  });

  test('no node answers: nothing repaired, exit 1', async () => {
    const r = await repair({ FAKE_DOWN_HOSTS: NODES.join(' ') });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no node answers on JMX');
  });

  test('wrong credentials count as unreachable nodes', async () => {
    const r = await repair({ FAKE_JMX_CREDENTIALS: 'repairer other' });
    expect(r.code).toBe(1);
    expect(repairCalls(r.log)).toEqual([]);
  });

  test('given keyspaces: one repair per keyspace and node', async () => {
    const r = await repair({ KEYSPACES: 'events audit' });
    expect(r.code).toBe(0);
    const calls = repairCalls(r.log);
    expect(calls).toHaveLength(12);
    expect(calls[0]).toMatch(/repair --full --partitioner-range -- events \[/);
    expect(calls[1]).toMatch(/repair --full --partitioner-range -- audit \[/);
  });

  test('a password with blank space is refused before any call', async () => {
    const r = await repair({ JMX_PASSWORD: 'two words' });
    expect(r.code).toBe(1);
    expect(r.log).toBe('');
  });
});

describe('JMX files, probes and exporter with a login (stand-ins)', () => {
  test('the config init container writes a private password file and the access file', async () => {
    const src = join(work, 'src');
    const dst = join(work, 'dst');
    for (const d of [src, dst]) require('fs').mkdirSync(d);
    writeFileSync(join(src, 'cassandra.yaml'), 'cluster_name: x\nnum_tokens: 256\n');
    const r = await run(configInit.command, { ...literalEnv(configInit), CONFIG_SOURCE: src, CONFIG_TARGET: dst, JMX_USERNAME: 'repairer', JMX_PASSWORD: 'j-s3cret' });
    expect(r.code).toBe(0);
    expect(readFileSync(join(dst, 'jmxremote.password'), 'utf8')).toBe('repairer j-s3cret\n');
    expect(statSync(join(dst, 'jmxremote.password')).mode & 0o777).toBe(0o400);
    expect(readFileSync(join(dst, 'jmxremote.access'), 'utf8')).toBe('repairer readwrite\n');
    // A second start of the init container (the file is read-only by then) works too.
    const again = await run(configInit.command, { ...literalEnv(configInit), CONFIG_SOURCE: src, CONFIG_TARGET: dst, JMX_USERNAME: 'repairer', JMX_PASSWORD: 'j-s3cret' });
    expect(again.code).toBe(0);
  });

  test('probes and preStop log in with the password file, never with the password', async () => {
    const pwfile = join(work, 'jmxremote.password');
    writeFileSync(pwfile, 'repairer j-s3cret\n');
    chmodSync(pwfile, 0o400);
    const env = { JMX_USERNAME: 'repairer', JMX_PASSWORD_FILE: pwfile, FAKE_JMX_CREDENTIALS: 'repairer j-s3cret' };
    for (const command of [cassandra.readinessProbe.exec.command, cassandra.livenessProbe.exec.command, cassandra.startupProbe.exec.command, cassandra.lifecycle.preStop.exec.command]) {
      const r = await run(command, env);
      expect(r.code).toBe(0);
      expect(r.log).toContain(`-u repairer -pwf ${pwfile}`);
      expect(r.log).not.toContain('j-s3cret');
    }
    // Without the login, the authenticated node refuses the probe.
    const refused = await run(cassandra.readinessProbe.exec.command, { FAKE_JMX_CREDENTIALS: 'repairer j-s3cret' });
    expect(refused.code).toBe(1);
  });

  test('the exporter starts on a private copy of its configuration with the account added, YAML-quoted', async () => {
    const config = join(work, 'config.yml');
    writeFileSync(config, findObject(manifests, 'ConfigMap', 'events-exporter').data['config.yml']);
    // A stand-in `java` that prints the configuration file it is given (its last argument).
    writeFileSync(join(work, 'java'), '#!/usr/bin/env bash\nfor last in "$@"; do :; done\necho "java args: $*"\ncat "$last"\n');
    chmodSync(join(work, 'java'), 0o755);
    const runtime = join(work, 'runtime.yml');
    const r = await run(exporter.command, { EXPORTER_CONFIG: config, EXPORTER_RUNTIME_CONFIG: runtime, JMX_USERNAME: 'repairer', JMX_PASSWORD: "it's:secret" });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('java args: -Xms64m -Xmx128m -XX:-UsePerfData -jar /opt/cassandra_exporter/cassandra_exporter.jar ' + runtime);
    expect(r.stdout).not.toMatch(/java args:.*secret/);
    const yaml = require('yaml').parse(readFileSync(runtime, 'utf8'));
    expect(yaml).toMatchObject({ host: 'localhost:7199', user: 'repairer', password: "it's:secret", listenPort: 8080 });
    expect(statSync(runtime).mode & 0o077).toBe(0);
  });
});
