import * as fs from 'fs';
import * as path from 'path';
import type Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import { describeAjvErrors } from './ajv-errors';
import { newAjv } from './ajv-instance';
import { MissingSchemasError } from './locations';
import { compileCached, compileCachedSet, digest, readCacheFile, validatorCacheStats, writeCacheFile } from './validator-cache';

/** Kubernetes versions every built-in object is validated against. */
export const DEFAULT_KUBERNETES_VERSIONS: readonly string[] = ['1.28.0', '1.32.0'];

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const POD_SPEC = 'io.k8s.api.core.v1.PodSpec';

/** Kinds of the built-in APIs that are not namespaced. */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'StorageClass', 'CSIDriver', 'CSINode',
  'VolumeAttachment', 'CustomResourceDefinition', 'APIService', 'PriorityClass', 'RuntimeClass', 'IngressClass',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding', 'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding', 'FlowSchema',
  'PriorityLevelConfiguration', 'CertificateSigningRequest', 'ClusterTrustBundle', 'ComponentStatus', 'TokenReview',
  'SelfSubjectReview', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SubjectAccessReview', 'StorageVersion',
  'StorageVersionMigration', 'VolumeAttributesClass', 'IPAddress', 'ServiceCIDR', 'DeviceClass', 'ResourceSlice',
]);

/**
 * Validators by the content of the definitions they check (the definition and every definition it
 * refers to): a kind whose schema did not change between two Kubernetes versions is compiled,
 * loaded and run once for both.
 */
const sharedValidators = new Map<string, ValidateFunction>();
const sharedPodKindValidators = new Map<string, Record<string, ValidateFunction>>();

/** The strict schemas of one Kubernetes version, compiled lazily per kind and cached. */
export class KubernetesSchemas {
  private ajvInstance?: Ajv;
  private definitionsRead?: Record<string, any>;
  private readonly definitionByGvk: ReadonlyMap<string, string>;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly contentKeys = new Map<string, string>();
  private readonly directRefs = new Map<string, readonly string[]>();
  private stored?: StoredKeys;

  /**
   * `source` identifies the schema file's content: the content keys computed for it, and which
   * definition serves each kind, are kept in the validator cache directory, so a warm run neither
   * computes them again nor calls `readDefinitions`.
   */
  constructor(public readonly version: string, private readonly readDefinitions: () => Record<string, any>, private readonly source?: string) {
    this.definitionByGvk = new Map(Object.entries(this.servedKinds()));
  }

  private get definitions(): Record<string, any> {
    this.definitionsRead ??= this.readDefinitions();
    return this.definitionsRead;
  }

  /** The definition of each served `apiVersion/kind`, as stored for this file or read from its definitions. */
  private servedKinds(): Record<string, string> {
    const stored = this.storedKeys();
    if (!stored.kinds) {
      const kinds: Record<string, string> = {};
      for (const [name, schema] of Object.entries(this.definitions)) {
        for (const gvk of (schema['x-kubernetes-group-version-kind'] ?? []) as Array<{ group: string; version: string; kind: string }>) {
          const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
          // The same gvk appears on several definitions only for meta types (DeleteOptions, WatchEvent); the first wins.
          const key = `${apiVersion}/${gvk.kind}`;
          if (!Object.hasOwn(kinds, key) || name.startsWith('io.k8s.api.')) kinds[key] = name;
        }
      }
      stored.kinds = kinds;
      this.storeKeys();
    }
    return stored.kinds;
  }

  /** Whether this version serves `apiVersion` / `kind`. */
  public has(apiVersion: string, kind: string): boolean {
    return this.definitionByGvk.has(`${apiVersion}/${kind}`);
  }

  /**
   * Identifies the schema `obj` is validated against (its content), or undefined when this
   * version does not serve it: two versions with the same key give the same problems.
   */
  public schemaKey(obj: any): string | undefined {
    const definition = this.definitionByGvk.get(`${obj.apiVersion}/${obj.kind}`);
    return definition === undefined ? undefined : this.contentKey(definition);
  }

  /** Identifies the ObjectMeta schema's content (see schemaKey). */
  public metadataKey(): string {
    return this.contentKey(OBJECT_META);
  }

  /** Validates a built-in object; returns readable problems (empty when valid). */
  public validate(obj: any): string[] {
    const definition = this.definitionByGvk.get(`${obj.apiVersion}/${obj.kind}`);
    if (!definition) return [`${obj.apiVersion}/${obj.kind} is not served by Kubernetes ${this.version}`];
    const validate = this.validator(definition);
    return validate(obj) ? [] : describeAjvErrors(validate.errors);
  }

  /** Validates object metadata as ObjectMeta. */
  public validateMetadata(metadata: any): string[] {
    const validate = this.validator(OBJECT_META);
    return validate(metadata) ? [] : describeAjvErrors(validate.errors).map(m => `metadata${m.startsWith('(root)') ? m.slice(6) : `.${m}`}`);
  }

  /**
   * A hash of what validates a definition: it and every definition it refers to, made strict, less
   * the `x-` extensions, which the strict schema's Ajv ignores (so versions that differ only in
   * list-type annotations share a validator).
   */
  private contentKey(definition: string): string {
    let key = this.contentKeys.get(definition);
    if (key === undefined) {
      const stored = this.storedKeys();
      key = stored.keys[definition];
      if (key === undefined) {
        key = digest(`strict ${STRICTIFY_VERSION}`, definition, this.closureContent(this.closure([definition])));
        stored.keys[definition] = key;
        this.storeKeys();
      }
      this.contentKeys.set(definition, key);
    }
    return key;
  }

  /** The keys computed before for this schema file (none when its content is not known or nothing is stored). */
  private storedKeys(): StoredKeys {
    if (!this.stored) {
      this.stored = { keys: {} };
      const text = this.source === undefined ? undefined : readCacheFile(this.storedKeysFile());
      try {
        const parsed = text === undefined ? undefined : JSON.parse(text);
        if (isStoredKeys(parsed)) this.stored = parsed;
      } catch {
        // unreadable: computed again and rewritten
      }
    }
    return this.stored;
  }

  private storeKeys(): void {
    if (this.source !== undefined && this.stored) writeCacheFile(this.storedKeysFile(), JSON.stringify(this.stored));
  }

  private storedKeysFile(): string {
    return `kubernetes-keys-${digest(`keys ${STRICTIFY_VERSION} ${STORED_KEYS_VERSION}`, this.source ?? '')}.json`;
  }

  /** The strict content of a set of definitions, as the content keys hash it. */
  private closureContent(names: ReadonlySet<string>): string {
    return JSON.stringify([...names].sort().map(n => [n, withoutExtensions(strictify(this.definitions[n] ?? null))]));
  }

  /** The definitions `roots` refer to, directly or not, and the roots themselves. */
  private closure(roots: readonly string[]): Set<string> {
    const names = new Set<string>(roots);
    for (const name of names) for (const ref of this.refsOf(name)) names.add(ref);
    return names;
  }

  private refsOf(name: string): readonly string[] {
    let refs = this.directRefs.get(name);
    if (!refs) {
      const found = new Set<string>();
      JSON.stringify(this.definitions[name] ?? null, (k, v) => {
        if (k === '$ref' && typeof v === 'string' && v.startsWith('#/definitions/')) found.add(v.slice('#/definitions/'.length));
        return v;
      });
      refs = [...found];
      this.directRefs.set(name, refs);
    }
    return refs;
  }

  /**
   * The kinds that embed a pod template (Pod, Deployment, StatefulSet, Job, CronJob, ...), and a
   * key of their content. They are validated from one module per content: compiled one by one,
   * each would carry its own copy of the pod template's validation, most of its code.
   */
  private podKindSet(): { readonly names: readonly string[]; readonly key: string } {
    const stored = this.storedKeys();
    if (!stored.podKinds) {
      const names = [...new Set(this.definitionByGvk.values())].filter(n => this.closure([n]).has(POD_SPEC)).sort();
      stored.podKinds = { names, key: digest(`pod kinds ${STRICTIFY_VERSION}`, names.join(' '), this.closureContent(this.closure(names))) };
      this.storeKeys();
    }
    return stored.podKinds;
  }

  /** The Ajv instance with every definition made strict, created only when a validator must be compiled. */
  private get ajv(): Ajv {
    if (!this.ajvInstance) {
      this.ajvInstance = newAjv();
      const strictDefinitions: Record<string, any> = {};
      for (const [name, schema] of Object.entries(this.definitions)) strictDefinitions[name] = strictify(schema);
      this.ajvInstance.addSchema({ $id: 'k8s', definitions: strictDefinitions });
    }
    return this.ajvInstance;
  }

  private validator(definition: string): ValidateFunction {
    let validate = this.validators.get(definition);
    if (!validate) {
      validate = this.podKindSet().names.includes(definition) ? this.podKindValidator(definition) : this.singleValidator(definition);
      this.validators.set(definition, validate);
    }
    return validate;
  }

  private singleValidator(definition: string): ValidateFunction {
    const key = this.contentKey(definition);
    const validate = sharedValidators.get(key) ?? compileCached(() => this.ajv, { $ref: `k8s#/definitions/${definition}` }, `kubernetes ${key}`);
    sharedValidators.set(key, validate);
    return validate;
  }

  private podKindValidator(definition: string): ValidateFunction {
    const { names, key } = this.podKindSet();
    let set = sharedPodKindValidators.get(key);
    if (!set) {
      set = compileCachedSet(() => this.ajv, Object.fromEntries(names.map((n, i) => [`k${i}`, `k8s#/definitions/${n}`])), `kubernetes ${key}`);
      sharedPodKindValidators.set(key, set);
    }
    return set[`k${names.indexOf(definition)}`];
  }
}

/**
 * A strict schema node without its `x-` extension keys (property names are kept): what Ajv, which
 * has no such keywords, reads of it.
 */
function withoutExtensions(schema: any): any {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  const out: any = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key.startsWith('x-')) continue;
    if (key === 'properties' || key === 'patternProperties' || key === 'definitions') {
      out[key] = Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, withoutExtensions(v)]));
    } else if (key === 'items' || key === 'additionalProperties' || key === 'not') {
      out[key] = withoutExtensions(value);
    } else if (key === 'allOf' || key === 'anyOf' || key === 'oneOf') {
      out[key] = (value as any[]).map(withoutExtensions);
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** Bump when strictify's output changes for the same input (it is part of the cache key). */
const STRICTIFY_VERSION = 1;

/**
 * Copies a schema node, rejecting unknown properties on every object schema that lists its
 * properties (what `kubeconform -strict` does), and dropping descriptions.
 */
function strictify(schema: any): any {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  const out: any = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'description') continue;
    if (key === 'properties' || key === 'patternProperties' || key === 'definitions') {
      out[key] = Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, strictify(v)]));
    } else if (key === 'items' || key === 'additionalProperties' || key === 'not') {
      out[key] = typeof value === 'object' ? strictify(value) : value;
    } else if (key === 'allOf' || key === 'anyOf' || key === 'oneOf') {
      out[key] = (value as any[]).map(strictify);
    } else {
      out[key] = value;
    }
  }
  if (schema['x-kubernetes-int-or-string'] === true || schema.format === 'int-or-string') {
    delete out.type;
    delete out.format;
    if (!out.anyOf && !out.oneOf) out.oneOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (out.properties && out.additionalProperties === undefined && schema['x-kubernetes-preserve-unknown-fields'] !== true) {
    out.additionalProperties = false;
  }
  return out;
}

/** Bump when how the content keys, the pod-kind set or the kinds' definitions are computed changes (not the strict rules: STRICTIFY_VERSION). */
const STORED_KEYS_VERSION = 2;

/** Content keys of one schema file, and the definition of each kind, as stored in the validator cache directory. */
interface StoredKeys {
  keys: Record<string, string>;
  podKinds?: { names: string[]; key: string };
  kinds?: Record<string, string>;
}

function isStoredKeys(value: any): value is StoredKeys {
  const hex = (k: unknown) => typeof k === 'string' && /^[0-9a-f]{40}$/.test(k);
  return typeof value === 'object' && value !== null && typeof value.keys === 'object' && value.keys !== null
    && Object.values(value.keys).every(hex)
    && (value.podKinds === undefined || (Array.isArray(value.podKinds.names) && value.podKinds.names.every((n: unknown) => typeof n === 'string') && hex(value.podKinds.key)))
    && (value.kinds === undefined || (typeof value.kinds === 'object' && value.kinds !== null && Object.values(value.kinds).every(n => typeof n === 'string')));
}

const cache = new Map<string, KubernetesSchemas>();

/**
 * Loads (once per process) the strict schemas of one Kubernetes version from `dir`: the bundled
 * compact file `kubernetes-<version>.json`, or yannh's `k8s-v<version>-_definitions.json`.
 */
export function kubernetesSchemas(dir: string, version: string): KubernetesSchemas {
  const file = [`kubernetes-${version}.json`, `k8s-v${version}-_definitions.json`].map(f => path.join(dir, f)).find(f => fs.existsSync(f));
  if (!file) throw new MissingSchemasError(`the Kubernetes ${version} JSON schema`, dir, `no file k8s-v${version}-_definitions.json`);
  let schemas = cache.get(file);
  if (!schemas) {
    const text = fs.readFileSync(file);
    const definitions = (): Record<string, any> => {
      validatorCacheStats.schemaFilesParsed++;
      const json = JSON.parse(text.toString('utf8'));
      if (!json.definitions) throw new MissingSchemasError(`the Kubernetes ${version} JSON schema`, dir, `${path.basename(file)} has no "definitions"`);
      return json.definitions;
    };
    schemas = new KubernetesSchemas(version, definitions, digest(text));
    cache.set(file, schemas);
  }
  return schemas;
}
