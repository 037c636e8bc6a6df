import * as fs from 'fs';
import * as path from 'path';
import type Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import * as YAML from 'yaml';
import { describeAjvErrors } from './ajv-errors';
import { newAjv } from './ajv-instance';
import { MissingSchemasError } from './locations';
import { splitSchema } from './split-schema';
import { compileCached, digest, readCacheFile, writeCacheFile } from './validator-cache';

/** Subtrees of a CRD schema whose JSON is at least this long are compiled as functions of their own. */
const SPLIT_LENGTH = 500;

/** One served version of a CustomResourceDefinition. */
interface CrdVersion {
  readonly name: string;
  readonly served: boolean;
  readonly schema: any;
  validator?: ValidateFunction;
}

/** A CustomResourceDefinition, parsed on first use. */
interface CrdEntry {
  readonly group: string;
  readonly kind: string;
  readonly scope?: string;
  readonly file: string;
  /** The file is the bundled compact form (JSON, see scripts/compact-schemas.js) rather than CRD YAML. */
  readonly compact: boolean;
  versions?: Map<string, CrdVersion>;
  namespaced?: boolean;
}

/** The result of looking up a custom resource's CRD. */
export type CrdLookup =
  | { readonly found: false }
  | { readonly found: true; readonly namespaced: boolean; readonly validate: (obj: any) => string[] };

/**
 * The CRDs of a list of directories, later ones overriding earlier ones for the same group and
 * kind: the bundled compact data (a directory with `index.json`) and the user's CRD YAML files.
 * Only each file's head is read up front (group, kind, scope); a CRD is parsed and its schema
 * compiled the first time an object of its kind appears, because some CRDs (Atlas, CloudNativePG
 * Cluster) are large.
 */
export class CrdCatalog {
  private readonly entries = new Map<string, CrdEntry>();
  private ajvInstance?: Ajv;

  constructor(public readonly dirs: readonly string[]) {
    for (const dir of dirs) {
      if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
        throw new MissingSchemasError('the CRD directory', dir, 'directory does not exist');
      }
      const index = path.join(dir, 'index.json');
      if (fs.existsSync(index)) {
        for (const head of JSON.parse(fs.readFileSync(index, 'utf8')) as Array<{ group: string; kind: string; scope?: string; file: string }>) {
          this.entries.set(`${head.group}/${head.kind}`, { ...head, file: path.join(dir, head.file), compact: true });
        }
        continue;
      }
      let found = 0;
      const files = fs.readdirSync(dir).filter(f => /\.(ya?ml|json)$/.test(f)).sort();
      for (const file of files) {
        for (const head of readHeads(path.join(dir, file))) {
          this.entries.set(`${head.group}/${head.kind}`, { ...head, file: path.join(dir, file), compact: false });
          found++;
        }
      }
      if (found === 0) {
        throw new MissingSchemasError('CustomResourceDefinition files', dir, 'no CRD in any *.yaml file');
      }
    }
  }

  /** Created only when a validator must be compiled: a warm cache needs neither it nor ajv. */
  private get ajv(): Ajv {
    if (!this.ajvInstance) {
      this.ajvInstance = newAjv({ inlineRefs: false });
      require('./kubernetes-keywords').addKubernetesKeywords(this.ajvInstance);
    }
    return this.ajvInstance;
  }

  /** Where the CRDs come from, for messages. */
  public get description(): string {
    return this.dirs.join(', ');
  }

  /** Whether a CRD for the group of `apiVersion` and `kind` is known (any version). */
  public hasKind(apiVersion: string, kind: string): boolean {
    return this.entries.has(`${groupOf(apiVersion)}/${kind}`);
  }

  /** Finds the CRD of a custom resource and returns a validator for its served version. */
  public lookup(apiVersion: string, kind: string): CrdLookup | { found: true; error: string } {
    const entry = this.entries.get(`${groupOf(apiVersion)}/${kind}`);
    if (!entry) return { found: false };
    const versions = this.load(entry);
    const version = versions.get(versionOf(apiVersion));
    if (!version || !version.served) {
      const served = [...versions.values()].filter(v => v.served).map(v => `${entry.group}/${v.name}`);
      return { found: true, error: `${apiVersion} ${kind} is not a served version of the CRD (served: ${served.join(', ')})` };
    }
    if (!version.validator) {
      const crdSchema = version.schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
      // Keyed by the CRD's schema and the converter's own source text: a warm run converts nothing.
      version.validator = compileCached(() => this.ajv, () => splitSchema(crdToJsonSchema(crdSchema, true), SPLIT_LENGTH),
        `crd ${digest(crdToJsonSchema.toString())} ${JSON.stringify(crdSchema)}`);
    }
    const validator = version.validator;
    return {
      found: true,
      namespaced: entry.namespaced !== false,
      validate: (obj: any) => (validator(obj) ? [] : describeAjvErrors(validator.errors)),
    };
  }

  private load(entry: CrdEntry): Map<string, CrdVersion> {
    if (entry.versions) return entry.versions;
    const versions = new Map<string, CrdVersion>();
    if (entry.compact) {
      const all: Array<{ group: string; kind: string; scope?: string; versions: Array<{ name: string; served: boolean; schema: any }> }> =
        JSON.parse(fs.readFileSync(entry.file, 'utf8'));
      const crd = all.find(c => c.group === entry.group && c.kind === entry.kind);
      for (const v of crd?.versions ?? []) versions.set(v.name, { name: v.name, served: v.served, schema: v.schema ?? undefined });
      entry.namespaced = crd?.scope !== 'Cluster';
    } else {
      const docs = readCrdDocuments(entry.file);
      const crd = docs.find(d => d?.kind === 'CustomResourceDefinition' && d.spec?.group === entry.group && d.spec?.names?.kind === entry.kind);
      for (const v of crd?.spec?.versions ?? []) {
        versions.set(v.name, { name: v.name, served: v.served !== false, schema: v.schema?.openAPIV3Schema });
      }
      entry.namespaced = crd?.spec?.scope !== 'Cluster';
    }
    entry.versions = versions;
    return versions;
  }
}

/**
 * Parses a CRD file. Parsing YAML of this size takes a few hundred milliseconds, so the parsed
 * documents are kept as JSON in the validator cache directory, keyed by a hash of the content (a
 * changed file is parsed again). Any cache problem falls back to parsing.
 */
function readCrdDocuments(file: string): any[] {
  const text = fs.readFileSync(file, 'utf8');
  const name = `crd-${digest(text)}.json`;
  const cached = readCacheFile(name);
  if (cached !== undefined) {
    try {
      return JSON.parse(cached);
    } catch {
      // corrupt: parse below
    }
  }
  const docs = YAML.parseAllDocuments(text).map(d => d.toJS());
  writeCacheFile(name, JSON.stringify(docs));
  return docs;
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

function versionOf(apiVersion: string): string {
  return apiVersion.slice(apiVersion.indexOf('/') + 1);
}

/** Reads group, kind and scope from the head of each CRD in a file, without parsing the schemas. */
function readHeads(file: string): Array<{ group: string; kind: string; scope?: string }> {
  const text = fs.readFileSync(file, 'utf8');
  const heads: Array<{ group: string; kind: string; scope?: string }> = [];
  for (const doc of text.split(/^---[^\n]*$/m)) {
    if (!/kind:\s*CustomResourceDefinition/.test(doc)) continue;
    const cut = doc.search(/^ {2}versions:/m);
    let spec: any;
    try {
      spec = YAML.parse(cut > 0 ? doc.slice(0, cut) : doc)?.spec;
    } catch {
      spec = undefined;
    }
    if (!spec?.group || !spec?.names?.kind) {
      spec = YAML.parse(doc)?.spec;
    }
    if (spec?.group && spec?.names?.kind) heads.push({ group: spec.group, kind: spec.names.kind, scope: spec.scope });
  }
  return heads;
}

/**
 * Converts a structural CRD schema into JSON Schema for ajv: unknown fields rejected unless
 * `x-kubernetes-preserve-unknown-fields`, `nullable` honoured, int-or-string as a union.
 * At the root, `metadata` is left open (it is validated as ObjectMeta separately).
 * Its source text is part of the validator cache key, so it calls no helper of ours: a change to
 * one would not change the key.
 */
export function crdToJsonSchema(schema: any, root = false): any {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  const out: any = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'description' || key === 'default' || key === 'example' || key === 'nullable') continue;
    if (key === 'properties' || key === 'patternProperties') {
      out[key] = Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, crdToJsonSchema(v)]));
    } else if (key === 'items' || key === 'additionalProperties' || key === 'not') {
      out[key] = typeof value === 'object' ? crdToJsonSchema(value) : value;
    } else if (key === 'allOf' || key === 'anyOf' || key === 'oneOf') {
      // Structural schemas use these as value validations only; they never add fields.
      out[key] = (value as any[]).map(v => crdToJsonSchema(v));
    } else {
      out[key] = value;
    }
  }
  if (root && out.properties) out.properties = { ...out.properties, metadata: { type: 'object' } };
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  if (schema['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    if (!out.anyOf && !out.oneOf) out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  } else if (schema.nullable === true && typeof out.type === 'string') {
    out.type = [out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  }
  if (Array.isArray(out.required) && schema.properties) {
    // The API server applies defaults before validating, so a required field with a default may be left out.
    out.required = out.required.filter((name: string) => schema.properties[name]?.default === undefined);
    if (out.required.length === 0) delete out.required;
  }
  if (schema['x-kubernetes-embedded-resource'] === true && !preserve) {
    out.properties = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, ...(out.properties ?? {}) };
  }
  if (schema.type === 'object' && out.additionalProperties === undefined && !preserve) {
    // A structural schema prunes unlisted fields silently; here they are errors.
    out.additionalProperties = false;
  }
  if (out.properties && out.additionalProperties === undefined && !preserve && !schema.type) {
    out.additionalProperties = false;
  }
  return out;
}

const catalogs = new Map<string, CrdCatalog>();

/** The CRD catalog of a list of directories (or one), loaded once per process. */
export function crdCatalog(dirs: string | readonly string[]): CrdCatalog {
  const list = typeof dirs === 'string' ? [dirs] : dirs;
  const key = list.join('\0');
  let catalog = catalogs.get(key);
  if (!catalog) {
    catalog = new CrdCatalog(list);
    catalogs.set(key, catalog);
  }
  return catalog;
}
