import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vm from 'vm';
import type Ajv from 'ajv';
import type { AnySchema, ValidateFunction } from 'ajv';
import { celCheck, listTypeCheck } from './kubernetes-runtime';
import { re2Compatible, RUNTIME_MODULE } from './regex';

/**
 * The on-disk cache of compiled validators, shared by every process on the machine: ajv's
 * standalone code for a schema, in a file named by a hash of the schema's content (and of what
 * generates the code). Files are written to a temporary name and renamed, so concurrent runs never
 * read half a file; a file whose checksum does not match is rebuilt. `$CDK8S_DATA_CACHE` moves the
 * cache, `CDK8S_DATA_CACHE=off` turns it off.
 */

/** Bump when the generated code changes for the same key (keywords, regExp engine, ajv options, splitSchema, how a module is stored). */
const FORMAT = `5 ajv ${require('ajv/package.json').version} ajv-formats ${require('ajv-formats/package.json').version}`;

const RUNTIME = { re2Compatible, listTypeCheck, celCheck };

/**
 * How many validators this process loaded from the cache and compiled, and how many Kubernetes
 * schema files it had to parse (none on a warm cache), for tests and measurements.
 */
export const validatorCacheStats = { loaded: 0, compiled: 0, schemaFilesParsed: 0 };

/** The cache directory, or undefined when caching is off. */
export function cacheDirectory(): string | undefined {
  const setting = process.env.CDK8S_DATA_CACHE;
  if (setting === 'off') return undefined;
  if (setting) return path.resolve(setting);
  // Per user: the cache holds code this process runs, so no other user may write to it.
  const uid = typeof process.getuid === 'function' ? `-${process.getuid()}` : '';
  return path.join(os.tmpdir(), `cdk8s-data-verify${uid}`);
}

/**
 * Creates the cache directory if needed, and tells whether it is safe to use: a real directory
 * owned by this user that no one else can write to (checked where the system has user ids).
 */
function usableDirectory(dir: string, create: boolean): boolean {
  try {
    if (create) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = fs.lstatSync(dir);
    if (!stat.isDirectory()) return false;
    if (typeof process.getuid !== 'function') return true;
    return stat.uid === process.getuid() && (stat.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/** A short content hash, used in cache file names. */
export function digest(...parts: Array<string | Uint8Array>): string {
  const hash = crypto.createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex').slice(0, 40);
}

/** Reads a cache file written by writeCacheFile; undefined when absent or corrupt. */
export function readCacheFile(name: string): string | undefined {
  return readCacheBytes(name)?.toString('utf8');
}

/**
 * Where cache files are read: one buffer, grown as needed. Memory a process touches for the first
 * time is what a warm run spends most on (validators are megabytes); reading every file into the
 * same pages avoids a fresh buffer per file.
 */
let scratch = Buffer.alloc(0);

/** The body of a cache file, valid only until the next read: decode or use it at once. */
function readCacheBytes(name: string): Buffer | undefined {
  const dir = cacheDirectory();
  if (!dir || !usableDirectory(dir, false)) return undefined;
  let bytes: Buffer;
  try {
    const fd = fs.openSync(path.join(dir, name), 'r');
    try {
      const size = fs.fstatSync(fd).size;
      if (scratch.length < size) scratch = Buffer.allocUnsafe(Math.max(size, 2 * scratch.length));
      bytes = scratch.subarray(0, fs.readSync(fd, scratch, 0, size, 0));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined;
  }
  const newline = bytes.indexOf(10);
  const body = bytes.subarray(newline + 1);
  return newline > 0 && bytes.toString('latin1', 0, newline) === `// ${digest(body)}` ? body : undefined;
}

/** Writes a cache file atomically, with a checksum line; a cache that cannot be written only costs time. */
export function writeCacheFile(name: string, body: string | Uint8Array): void {
  const dir = cacheDirectory();
  if (!dir || !usableDirectory(dir, true)) return;
  const file = path.join(dir, name);
  const partial = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  try {
    fs.writeFileSync(partial, Buffer.concat([Buffer.from(`// ${digest(body)}\n`), typeof body === 'string' ? Buffer.from(body) : body]));
    fs.renameSync(partial, file);
  } catch {
    try {
      fs.rmSync(partial, { force: true });
    } catch {
      // nothing more to do
    }
  }
}

/** Scripts loaded without usable compiled code on disk, until writePendingCodeCaches. */
const codeCachesToWrite = new Map<string, vm.Script>();

/**
 * V8's compiled code of a validator, kept beside its source (`<name>.<V8 version>.code`): loading
 * it skips parsing and compiling the source, most of a warm run's time. V8 rejects code made by
 * another version or with other flags, and a corrupt file fails its checksum; either way the
 * source is compiled again and the code rewritten after the run, with what the run compiled.
 */
function codeCacheName(name: string): string {
  return `${name.replace(/\.js$/, '')}.${process.versions.v8}.code`;
}

/** Writes V8's code of every validator loaded without it, as compiled so far (verify calls it after a run). */
export function writePendingCodeCaches(): void {
  for (const [name, script] of codeCachesToWrite) writeCacheFile(codeCacheName(name), script.createCachedData());
  codeCachesToWrite.clear();
}

/**
 * Loads the module cached as `name`, or undefined when it is absent, corrupt, does not run, or its
 * exports are not what `usable` expects; only a usable module's V8 code is written afterwards.
 */
function loadCached(name: string, usable: (exports: any) => boolean): any {
  const source = readCacheFile(name);
  if (source === undefined) return undefined;
  const module = { exports: {} as any };
  const requireRuntime = (id: string): unknown => (id === RUNTIME_MODULE ? RUNTIME : require(id));
  const cachedData = readCacheBytes(codeCacheName(name));
  let script: vm.Script;
  try {
    script = new vm.Script(source, { filename: name, cachedData });
    // Keywords defined with `compile` are called with `self` (the Ajv instance) as `this`; ours do not use it.
    script.runInThisContext()(requireRuntime, module, module.exports, undefined);
  } catch {
    return undefined;
  }
  if (!usable(module.exports)) return undefined;
  if (cachedData === undefined || script.cachedDataRejected) codeCachesToWrite.set(name, script);
  validatorCacheStats.loaded++;
  return module.exports;
}

/**
 * Compiles `schema` with `ajv`, or loads the validator cached under `key` (which must identify the
 * schema's content, including any schema it refers to). `ajv` must have `code.source: true`; it
 * and the schema may be given as functions, so that a warm cache never needs to create them (nor
 * load ajv).
 */
export function compileCached(ajvOrMaker: Ajv | (() => Ajv), schemaOrMaker: AnySchema | (() => AnySchema), key: string): ValidateFunction {
  const name = `validator-${digest(FORMAT, key)}.js`;
  const loaded = loadCached(name, exports => typeof exports === 'function');
  if (loaded) return loaded;
  validatorCacheStats.compiled++;
  const ajv = typeof ajvOrMaker === 'function' ? ajvOrMaker() : ajvOrMaker;
  const validate = ajv.compile(typeof schemaOrMaker === 'function' ? schemaOrMaker() : schemaOrMaker);
  writeStandalone(ajv, validate, name);
  return validate;
}

/**
 * Like compileCached for several schemas of one ajv instance, given as refs by export name, in one
 * module: what they refer to in common is generated once (the pod template of every workload kind).
 */
export function compileCachedSet(ajvOrMaker: Ajv | (() => Ajv), refs: Readonly<Record<string, string>>, key: string): Record<string, ValidateFunction> {
  const name = `validator-${digest(FORMAT, 'set', key)}.js`;
  const loaded = loadCached(name, exports => Object.keys(refs).every(k => typeof exports?.[k] === 'function'));
  if (loaded) return loaded;
  validatorCacheStats.compiled++;
  const ajv = typeof ajvOrMaker === 'function' ? ajvOrMaker() : ajvOrMaker;
  const validators: Record<string, ValidateFunction> = {};
  for (const [exported, ref] of Object.entries(refs)) {
    const validate = ajv.getSchema(ref);
    if (!validate) throw new Error(`no schema ${ref}`);
    validators[exported] = validate;
  }
  writeStandalone(ajv, { ...refs }, name);
  return validators;
}

function writeStandalone(ajv: Ajv, what: ValidateFunction | Record<string, string>, name: string): void {
  const dir = cacheDirectory();
  if (!dir) return;
  let source: string | undefined;
  try {
    source = require('ajv/dist/standalone').default(ajv, what);
  } catch {
    source = undefined; // a schema standalone code cannot represent stays compiled in process only
  }
  if (source === undefined) return;
  // Kept as the function expression that is run: a wrapper added at load time would copy megabytes.
  writeCacheFile(name, `(function (require, module, exports, self) {${source}\n})`);
  // V8 matches code to source by length only: code kept for a source this one replaces must go.
  try {
    fs.rmSync(path.join(dir, codeCacheName(name)), { force: true });
  } catch {
    // left in place: V8 would take it only for a new source of exactly the same length
  }
}
