import * as YAML from 'yaml';

/*
 * A fast reader for the common case: plain Kubernetes manifests. js-yaml reads the structure (about
 * five times cheaper than the `yaml` package's document API); every plain scalar is typed by the
 * `yaml` package's own tags, so values are exactly what `yaml` gives. Anything this reader cannot
 * vouch for returns undefined, and the caller reads the file with the `yaml` package as before:
 * syntax errors and duplicate keys (js-yaml throws), anchors and aliases, explicit tags, merge keys,
 * directives, empty or non-object documents, complex or null keys, tab indentation, and (when asked)
 * a plain scalar that YAML 1.1 reads differently from YAML 1.2.
 */

// js-yaml is loaded when first needed: `verify` on objects already in memory never reads YAML.
let jsyaml: any;

interface Resolver {
  /** The value `yaml` gives a plain scalar, or NOT_PLAIN when the reading depends on where it stands (a key). */
  (value: string): unknown;
}

const NOT_PLAIN = Symbol('not plain');

/** How one `yaml` document setup types a plain scalar (mirrors its composer: first default tag whose test matches). */
function resolverOf(options: YAML.DocumentOptions & YAML.SchemaOptions): Resolver {
  const doc = new YAML.Document(null, options);
  const schema: any = doc.schema;
  const tags: any[] = schema.tags;
  const fallback = schema[Symbol.for('yaml.scalar')] ?? tags.find((t: any) => t.tag === 'tag:yaml.org,2002:str');
  return value => {
    const asValue = tags.find(t => t.default === true && t.test?.test(value)) ?? fallback;
    const asKey = tags.find(t => (t.default === true || t.default === 'key') && t.test?.test(value)) ?? fallback;
    if (asValue !== asKey) return NOT_PLAIN;
    let failed = false;
    const resolved = asValue.resolve(value, () => { failed = true; }, doc.options);
    // Some tags give a Scalar node (booleans keep their source form); its value is what toJS gives.
    const res = YAML.isScalar(resolved) ? resolved.value : resolved;
    if (failed || (res !== null && typeof res === 'object') || typeof res === 'symbol') return NOT_PLAIN;
    return res;
  };
}

function same(a: unknown, b: unknown): boolean {
  return typeof a === typeof b && (Object.is(a, b) || (typeof a === 'number' && Number.isNaN(a) && Number.isNaN(b as number)));
}

/** A js-yaml schema whose only type reads every plain scalar through `resolve`, marking the text unsure where it must. */
function readerOf(resolve: Resolver, compare?: Resolver): (text: string) => any[] | undefined {
  let unsure = false;
  const cache = new Map<string, unknown>();
  const construct = (value: string): unknown => {
    let result = cache.get(value);
    if (result === undefined && !cache.has(value)) {
      result = resolve(value);
      if (result !== NOT_PLAIN && compare && !same(result, compare(value))) result = NOT_PLAIN;
      if (cache.size < 100_000) cache.set(value, result);
    }
    if (result === NOT_PLAIN) {
      unsure = true;
      return value;
    }
    return result;
  };
  let schema: any;
  const listener = (event: string, state: any): void => {
    if (event !== 'close') return;
    if (state.anchor !== null || state.tag === '!') unsure = true;
    else if (state.kind === 'mapping' && state.result !== null && typeof state.result === 'object') {
      // Keys js-yaml and `yaml` write differently (a null key is '' in `yaml`; __proto__), and keys
      // that may pass the 1024 characters `yaml` allows an implicit key (an escape is up to 6 characters).
      for (const key of Object.keys(state.result)) {
        if (key === 'null' || key === '__proto__' || key.length >= 160) unsure = true;
      }
    }
  };
  return text => {
    if (!jsyaml) jsyaml = require('js-yaml');
    if (!schema) {
      const plain = new jsyaml.Type('tag:data.cdk8s.io,2026:plain', { kind: 'scalar', resolve: () => true, construct });
      schema = new jsyaml.Schema({ implicit: [plain], explicit: [] });
    }
    if (SURE_NOT.test(text)) return undefined;
    unsure = false;
    const docs: any[] = [];
    try {
      jsyaml.loadAll(text, (d: any) => { docs.push(d); }, { schema, listener });
    } catch {
      return undefined;
    }
    if (unsure || docs.length === 0 || docs.length !== documentCount(text)) return undefined;
    for (const d of docs) {
      if (d === null || typeof d !== 'object' || Array.isArray(d)) return undefined;
    }
    return docs;
  };
}

/**
 * Texts the fast reader leaves to `yaml`: directives, document end markers, tab indentation,
 * explicit keys and flow collections used as keys (js-yaml and `yaml` write those keys differently),
 * and empty entries in flow collections (js-yaml reads null, `yaml` refuses them).
 */
const SURE_NOT = /^%|^\.\.\.(\s|$)|^[ \-?:]*\t|(^|[\s,[{])\?(\s|$)|[\]}][ \t]*:(\s|$)|[[{,][ \t]*,/m;

/** Documents in a text as `yaml` counts them: one per `---` line, plus one for content before the first. */
function documentCount(text: string): number {
  const markers = text.match(/^---(?=[\s]|$)/gm)?.length ?? 0;
  const first = text.search(/^---(?=[\s]|$)/m);
  const before = first < 0 ? text : text.slice(0, first);
  const content = before.split(/\r?\n/).some(line => line.trim() !== '' && !line.trim().startsWith('#'));
  return markers + (content ? 1 : 0);
}

let verifyReader: ((text: string) => any[] | undefined) | undefined;
let safetyReader: ((text: string) => any[] | undefined) | undefined;

/**
 * The objects of a text as `yaml` reads them under YAML 1.2 (`uniqueKeys`), when every plain
 * scalar reads the same under YAML 1.1 and nothing else needs the exact reader; else undefined.
 */
export function readSameUnder11And12(text: string): any[] | undefined {
  verifyReader ??= readerOf(resolverOf({ version: '1.2' }), resolverOf({ version: '1.1' }));
  return verifyReader(text);
}

/** The objects of a text as `yaml` reads them by default with merge keys on; undefined when the exact reader is needed. */
export function readAsKubectl(text: string): any[] | undefined {
  safetyReader ??= readerOf(resolverOf({ merge: true }));
  return safetyReader(text);
}
