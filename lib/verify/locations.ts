import * as fs from 'fs';
import * as path from 'path';

/** Raised when the Kubernetes JSON schemas or the CRD files cannot be found. */
export class MissingSchemasError extends Error {
  constructor(what: string, dir: string, detail: string) {
    super(`cdk8s-data verify: ${what} not found in ${dir} (${detail}).\n`
      + 'Verification needs the Kubernetes JSON schemas (k8s-v1.28.0-_definitions.json, k8s-v1.32.0-_definitions.json, '
      + 'as published in https://github.com/yannh/kubernetes-json-schema under v1.28.0/_definitions.json and v1.32.0/_definitions.json) '
      + 'and the CustomResourceDefinition YAML files of the operators you use (CloudNativePG, Barman Cloud plugin, Atlas Operator, '
      + 'Prometheus Operator, External Secrets; see crds/SOURCES.md in the shared data directory for the exact upstream files). '
      + 'Put them in ../shared/schemas and ../shared/crds next to the project root, or point the environment variables '
      + 'CDK8S_DATA_SCHEMAS and CDK8S_DATA_CRDS (or the options schemaDir and crdDir) at them.');
    this.name = 'MissingSchemasError';
  }
}

let packageRootCache: string | undefined;

/** The directory holding this package's package.json (works from lib/*.ts and build/lib/*.js). */
export function packageRoot(): string {
  if (packageRootCache) return packageRootCache;
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return (packageRootCache = dir);
    const parent = path.dirname(dir);
    if (parent === dir) return (packageRootCache = process.cwd());
    dir = parent;
  }
}

/** The schema directory: option, else CDK8S_DATA_SCHEMAS, else `<package root>/../shared/schemas`. */
export function schemaDirectory(option?: string): string {
  return path.resolve(option ?? process.env.CDK8S_DATA_SCHEMAS ?? path.join(packageRoot(), '..', 'shared', 'schemas'));
}

/** The CRD directory: option, else CDK8S_DATA_CRDS, else `<package root>/../shared/crds`. */
export function crdDirectory(option?: string): string {
  return path.resolve(option ?? process.env.CDK8S_DATA_CRDS ?? path.join(packageRoot(), '..', 'shared', 'crds'));
}
