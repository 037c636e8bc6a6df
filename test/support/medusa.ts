import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, copyFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { unlessRequired } from './required-servers';
import { startServerProcess } from './server-process';

const FAKE = resolve(__dirname, 'fake-medusa');
/** Debian's Python 3, which has Debian's python3-grpcio (the Medusa image's Python stands in for it in the manifests). */
export const PYTHON = '/usr/bin/python3';

/**
 * Generates gRPC modules from fake-medusa/medusa.proto (the part of the pinned Medusa release's interface the CronJob calls)
 * into `dir/medusa/service/grpc`, the package path the Medusa image has on PYTHONPATH. Returns
 * `{ dir }`, or `{ skip }` with the reason when Debian's python3-grpcio, protoc and grpc_python_plugin are missing
 * (the test then skips, or fails under REQUIRE_DB_SERVERS=1).
 */
export function medusaModules(): { dir?: string; skip?: string } {
  const have = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import grpc']).status === 0
    && spawnSync('protoc', ['--version']).status === 0 && existsSync('/usr/bin/grpc_python_plugin');
  if (!have) return { skip: unlessRequired('Debian\'s python3-grpcio, protobuf-compiler and protobuf-compiler-grpc are not installed') };
  const dir = mkdtempSync(join(tmpdir(), 'medusa-grpc-'));
  const pkg = join(dir, 'medusa', 'service', 'grpc');
  mkdirSync(pkg, { recursive: true });
  copyFileSync(join(FAKE, 'medusa.proto'), join(pkg, 'medusa.proto'));
  const r = spawnSync('protoc', ['-I', dir, `--python_out=${dir}`, `--grpc_python_out=${dir}`, '--plugin=protoc-gen-grpc_python=/usr/bin/grpc_python_plugin', join(pkg, 'medusa.proto')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`protoc failed: ${r.stderr}`);
  return { dir };
}

/** A running stand-in Medusa server: one per loopback address, all on `port`. */
export interface FakeMedusa {
  readonly port: number;
  readonly log: string;
  calls(): Array<{ node: string; method: string; request: any }>;
  stop(): Promise<void>;
}

/** Starts test/support/fake-medusa/server.py on `addresses` with per-address behaviour. */
export async function startFakeMedusa(modules: string, addresses: string[], behaviour: Record<string, unknown> = {}): Promise<FakeMedusa> {
  const dir = mkdtempSync(join(tmpdir(), 'fake-medusa-'));
  const log = join(dir, 'calls.jsonl');
  const server = await startServerProcess('stand-in Medusa', PYTHON, [join(FAKE, 'server.py'), addresses.join(','), JSON.stringify(behaviour), log],
    /READY (\d+)/, { env: { PATH: process.env.PATH, PYTHONPATH: modules } }, 20_000);
  return {
    port: server.port,
    log,
    calls: () => existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map(l => JSON.parse(l)) : [],
    stop: () => server.stop(),
  };
}
