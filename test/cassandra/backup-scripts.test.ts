/**
 * The Medusa scripts as rendered: the backup CronJob's client runs under Debian's Python with
 * gRPC modules generated from Medusa's own medusa.proto, against a recording stand-in Medusa
 * server on loopback (one address per node); the restore and tools init containers run under
 * bash against a stand-in Medusa Python and stand-in image folders. No Medusa, Cassandra or
 * object store runs here.
 */
import { spawnSync } from 'child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { CassandraDatacenter } from '../../lib/cassandra';
import { ObjectStoreProvider } from '../../lib/postgres';
import { containerCommand, run } from '../support/commands';
import { FakeMedusa, PYTHON, medusaModules, startFakeMedusa } from '../support/medusa';
import { findObject, synthValid, testChart } from '../support/synth';

const chart = testChart('events');
new CassandraDatacenter(chart, 'events', {
  racks: [{ name: 'a', zone: 'z1' }], nodesPerRack: 3,
  backup: { provider: ObjectStoreProvider.S3, bucket: 'events-backups', credentials: { secretName: 'events-medusa', key: 'credentials' }, restoreFrom: { backupName: 'events-20260101020000', restoreKey: 'r1' } },
});
const manifests = synthValid(chart);
const backup = containerCommand(findObject(manifests, 'CronJob', 'events-backup').spec.jobTemplate.spec.template.spec.containers[0]);
const pod = findObject(manifests, 'StatefulSet', 'events-a').spec.template.spec;
const restore = containerCommand(pod.initContainers.find((c: any) => c.name === 'medusa-restore'));
const tools = containerCommand(pod.initContainers.find((c: any) => c.name === 'cassandra-tools'));

const NODES = ['127.0.0.2', '127.0.0.3', '127.0.0.4'];
const modules = medusaModules();
const describeGrpc = modules.skip ? describe.skip : describe;
if (modules.skip) console.warn(`skipped: the backup client against the stand-in Medusa server: ${modules.skip}`);

/** Runs the rendered client with the Medusa image's Python replaced by Debian's and the nodes by loopback addresses. */
function runBackup(server: FakeMedusa, extra: Record<string, string> = {}) {
  return run({ command: [PYTHON, ...backup.command.slice(1)], env: backup.env },
    { NODES: NODES.join(' '), MEDUSA_PORT: String(server.port), POLL_INTERVAL_SECONDS: '0', PYTHONPATH: modules.dir!, ...extra }, 60_000);
}

describeGrpc('backup client against the stand-in Medusa gRPC server', () => {
  let server: FakeMedusa | undefined;
  afterEach(() => server?.stop());

  test('starts the same backup on every node, waits for all, then purges on every node', async () => {
    server = await startFakeMedusa(modules.dir!, NODES, { '127.0.0.3': { polls: 3 } });
    const r = runBackup(server);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const calls = server.calls();
    const starts = calls.filter(c => c.method === 'AsyncBackup');
    expect(starts.map(c => c.node).sort()).toEqual(NODES);
    const name = starts[0].request.name;
    expect(name).toMatch(/^events-\d{14}$/);
    expect(starts.every(c => c.request.name === name && c.request.mode === 'DIFFERENTIAL')).toBe(true);
    // The slow node was asked until it finished; purges came only after every node finished.
    expect(calls.filter(c => c.method === 'BackupStatus' && c.node === '127.0.0.3')).toHaveLength(4);
    const firstPurge = calls.findIndex(c => c.method === 'PurgeBackups');
    const lastStatus = calls.map(c => c.method).lastIndexOf('BackupStatus');
    expect(firstPurge).toBeGreaterThan(lastStatus);
    expect(calls.filter(c => c.method === 'PurgeBackups').map(c => c.node).sort()).toEqual(NODES);
    expect(r.stdout).toContain(`backup ${name} complete`);
  }, 60_000);

  test.each([
    ['a node reports FAILED', { '127.0.0.4': { backup: 'fail' } }, '127.0.0.4: backup FAILED'],
    ['a node refuses to start', { '127.0.0.2': { backup: 'refuse' } }, '127.0.0.2: backup not started: StatusCode.INTERNAL stand-in refuses the backup'],
  ])('%s: the run fails and nothing is purged', async (_name, behaviour, message) => {
    server = await startFakeMedusa(modules.dir!, NODES, behaviour);
    const r = runBackup(server);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(message);
    expect(r.stdout).toMatch(/failed on .*; nothing purged/);
    expect(server.calls().filter(c => c.method === 'PurgeBackups')).toEqual([]);
  }, 60_000);

  test('a node that never finishes: the run stops at its deadline and fails', async () => {
    server = await startFakeMedusa(modules.dir!, NODES, { '127.0.0.3': { backup: 'hang' } });
    const r = runBackup(server, { DEADLINE_SECONDS: '2', POLL_INTERVAL_SECONDS: '1' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('127.0.0.3: backup not finished before the deadline');
    expect(server.calls().filter(c => c.method === 'PurgeBackups')).toEqual([]);
  }, 60_000);

  test('a node that does not answer at all fails the run', async () => {
    server = await startFakeMedusa(modules.dir!, NODES.slice(0, 2));
    const r = runBackup(server, { RPC_TIMEOUT_SECONDS: '3' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('127.0.0.4: backup not started');
    expect(server.calls().filter(c => c.method === 'PurgeBackups')).toEqual([]);
  }, 60_000);

  test('a failed purge after a good backup fails the run', async () => {
    server = await startFakeMedusa(modules.dir!, NODES, { '127.0.0.2': { purge: 'fail' } });
    const r = runBackup(server);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('127.0.0.2: purge failed');
  }, 60_000);
});

describe('restore init container (stand-in Medusa Python)', () => {
  function setup() {
    const dir = mkdtempSync(join(tmpdir(), 'medusa-restore-'));
    const data = join(dir, 'data');
    mkdirSync(data);
    const log = join(dir, 'calls');
    const python = join(dir, 'python');
    // Records its arguments and the [storage] fqdn of the configuration it is given.
    writeFileSync(python, `#!/usr/bin/env bash\necho "$* BACKUP_NAME=$BACKUP_NAME fqdn=$(grep '^fqdn' "$3" || true)" >> ${JSON.stringify(log)}\nexit "\${FAKE_EXIT:-0}"\n`);
    chmodSync(python, 0o755);
    const config = join(dir, 'restore.ini');
    writeFileSync(config, findObject(manifests, 'ConfigMap', 'events-medusa').data['restore.ini']);
    return { dir, data, log, config, overrides: { DATA_DIR: data, MEDUSA_PYTHON: python, MEDUSA_CONFIG: config, POD_NAME: 'events-a-1' } };
  }

  test('restores once per restore key, with the config path and the key as Medusa expects', () => {
    const s = setup();
    const first = run(restore, s.overrides);
    expect(first.status).toBe(0);
    expect(readFileSync(s.log, 'utf8')).toBe(`-m medusa.service.grpc.restore ${s.config} r1 BACKUP_NAME=events-20260101020000 fqdn=\n`);
    expect(readFileSync(join(s.data, '.last-restore'), 'utf8')).toBe('r1\n');
    const again = run(restore, s.overrides);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('restore r1 already applied');
    expect(readFileSync(s.log, 'utf8').split('\n').filter(Boolean)).toHaveLength(1);
  });

  test('a failed restore records nothing, so the next start tries again', () => {
    const s = setup();
    const r = run(restore, { ...s.overrides, FAKE_EXIT: '3' });
    expect(r.status).toBe(3);
    expect(existsSync(join(s.data, '.last-restore'))).toBe(false);
  });

  test('new datacenter: the pod downloads its source node\'s backup, named in [storage] of a private copy', () => {
    const s = setup();
    const tmp = join(s.dir, 'tmp');
    mkdirSync(tmp);
    const sources = 'events-a-0=old-a-0.old-headless.old.svc.cluster.local events-a-1=old-a-1.old-headless.old.svc.cluster.local';
    // The script writes its copy to /tmp (an emptyDir in the pod), or TMPDIR.
    const r = run(restore, { ...s.overrides, RESTORE_SOURCES: sources, TMPDIR: tmp });
    expect(r.status).toBe(0);
    expect(readFileSync(s.log, 'utf8')).toBe(`-m medusa.service.grpc.restore ${tmp}/medusa-restore.ini r1 BACKUP_NAME=events-20260101020000 fqdn=fqdn = old-a-1.old-headless.old.svc.cluster.local\n`);
    const parsed = JSON.parse(spawnSync(PYTHON, ['-c', 'import configparser, json, sys\nc = configparser.ConfigParser()\nc.read(sys.argv[1])\nprint(json.dumps(dict(c["storage"])))', join(tmp, 'medusa-restore.ini')], { encoding: 'utf8' }).stdout);
    expect(parsed.fqdn).toBe('old-a-1.old-headless.old.svc.cluster.local');
    expect(parsed.bucket_name).toBe('events-backups');
  });

  test('new datacenter: a pod with no source node restores nothing and records nothing', () => {
    const s = setup();
    const r = run(restore, { ...s.overrides, POD_NAME: 'events-a-2', RESTORE_SOURCES: 'events-a-0=old-a-0.x events-a-1=old-a-1.x' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('no backed-up node is mapped to events-a-2');
    expect(existsSync(s.log)).toBe(false);
    expect(existsSync(join(s.data, '.last-restore'))).toBe(false);
  });

  test('a different key restores again', () => {
    const s = setup();
    writeFileSync(join(s.data, '.last-restore'), 'r0\n');
    expect(run(restore, s.overrides).status).toBe(0);
    expect(readFileSync(join(s.data, '.last-restore'), 'utf8')).toBe('r1\n');
  });
});

describe('tools init container', () => {
  test('copies bin, lib and the Java runtime into the shared folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'medusa-tools-'));
    const home = join(dir, 'opt', 'cassandra');
    const java = join(dir, 'opt', 'java');
    for (const d of [join(home, 'bin'), join(home, 'lib'), join(java, 'bin')]) mkdirSync(d, { recursive: true });
    writeFileSync(join(home, 'bin', 'nodetool'), '#!/bin/sh\n');
    writeFileSync(join(home, 'lib', 'cassandra.jar'), 'jar');
    writeFileSync(join(java, 'bin', 'java'), '#!/bin/sh\n');
    const target = join(dir, 'tools');
    mkdirSync(target);
    const r = run(tools, { CASSANDRA_HOME: home, JAVA_HOME: java, TOOLS_DIR: target });
    expect(r.status).toBe(0);
    for (const f of ['cassandra/bin/nodetool', 'cassandra/lib/cassandra.jar', 'java/bin/java']) expect(existsSync(join(target, f))).toBe(true);
  });
});

describe('medusa.ini', () => {
  test('both variants parse with Python\'s configparser as Medusa reads them, every value intact', () => {
    const data = findObject(manifests, 'ConfigMap', 'events-medusa').data;
    for (const key of ['medusa.ini', 'restore.ini']) {
      // The default parser, with interpolation: a stray "%" would fail here.
      const parsed = JSON.parse(spawnSync(PYTHON, ['-c', 'import configparser, json, sys\nc = configparser.ConfigParser()\nc.read_string(sys.stdin.read())\nprint(json.dumps({s: dict(c[s]) for s in c.sections()}))'], { input: data[key], encoding: 'utf8' }).stdout);
      expect(Object.keys(parsed)).toEqual(['cassandra', 'grpc', 'kubernetes', 'logging', 'storage']);
      expect(parsed.storage).toMatchObject({ storage_provider: 's3', bucket_name: 'events-backups', prefix: 'events', key_file: '/etc/medusa-secrets/credentials', max_backup_count: '7' });
      expect(parsed.kubernetes.enabled).toBe('False');
      expect(parsed.cassandra.stop_cmd).toBe(key === 'restore.ini' ? '/bin/true' : undefined);
    }
  });
});
