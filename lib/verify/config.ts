import * as fs from 'fs';
import * as path from 'path';
import type Ajv from 'ajv';
import * as YAML from 'yaml';
import { CHECKS } from './checks';
import { VerifyOptions } from './types';

/** The file a repository records its verification choices in, looked for in the working directory. */
export const CONFIG_FILES: readonly string[] = ['cdk8s-data-verify.yaml', 'cdk8s-data-verify.yml', 'cdk8s-data-verify.json'];

/** What the config file may say; directories are relative to the file. */
const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    schemaOnly: { type: 'boolean' },
    ignoreMissingSchemas: { type: 'boolean' },
    skip: { type: 'array', items: { type: 'string', enum: CHECKS.map(c => c.id) } },
    crds: { type: 'array', items: { type: 'string', minLength: 1 } },
    bundledCrds: { type: 'boolean' },
    schemas: { type: 'string', minLength: 1 },
    kubernetesVersions: { type: 'array', items: { type: 'string', pattern: '^\\d+\\.\\d+\\.\\d+$' }, minItems: 1 },
  },
};

/** A config file that cannot be read or says something verification does not know. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(`cdk8s-data verify: ${message}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads the verification config: `file` when given, else the first of CONFIG_FILES in `cwd`
 * (none: no options). Returns the options it sets and the file it read.
 */
export function readConfig(cwd: string, file?: string): { options: VerifyOptions; file?: string } {
  const found = file !== undefined ? path.resolve(cwd, file) : CONFIG_FILES.map(f => path.join(cwd, f)).find(f => fs.existsSync(f));
  if (found === undefined) return { options: {} };
  let data: any;
  try {
    data = YAML.parse(fs.readFileSync(found, 'utf8')) ?? {};
  } catch (e) {
    throw new ConfigError(`cannot read the config file ${found}: ${(e as Error).message}`);
  }
  // ajv is loaded only when there is a config file to check: most runs have none.
  const AjvClass: typeof Ajv = require('ajv').default;
  const ajv = new AjvClass({ allErrors: true });
  const validate = ajv.compile(SCHEMA);
  if (!validate(data)) {
    const problems = (validate.errors ?? []).map(e => `${e.instancePath || '(top level)'} ${e.message}${e.params && 'allowedValues' in e.params ? ` (${(e.params.allowedValues as string[]).length} known check ids, see docs/checks.md)` : ''}${e.params && 'additionalProperty' in e.params ? `: ${e.params.additionalProperty}` : ''}`);
    throw new ConfigError(`config file ${found}: ${problems.join('; ')} (known keys: ${Object.keys(SCHEMA.properties).join(', ')})`);
  }
  const dir = path.dirname(found);
  const doc: any = data;
  return {
    file: found,
    options: {
      ...(doc.schemaOnly !== undefined ? { schemaOnly: doc.schemaOnly } : {}),
      ...(doc.ignoreMissingSchemas !== undefined ? { ignoreMissingSchemas: doc.ignoreMissingSchemas } : {}),
      ...(doc.skip ? { skip: doc.skip } : {}),
      ...(doc.crds ? { crdDirs: doc.crds.map((d: string) => path.resolve(dir, d)) } : {}),
      ...(doc.bundledCrds !== undefined ? { bundledCrds: doc.bundledCrds } : {}),
      ...(doc.schemas ? { schemaDir: path.resolve(dir, doc.schemas) } : {}),
      ...(doc.kubernetesVersions ? { kubernetesVersions: doc.kubernetesVersions } : {}),
    },
  };
}
