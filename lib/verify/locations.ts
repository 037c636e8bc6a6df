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

/** The nearest directory at or above the working directory that holds a package.json (the user's project). */
function projectRoot(): string | undefined {
  let dir = process.cwd();
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * `../shared/<name>` next to this package's root; when this package is installed in another
 * project and that directory does not exist, `../shared/<name>` next to that project's root.
 */
function defaultDirectory(name: string): string {
  const own = path.join(packageRoot(), '..', 'shared', name);
  if (fs.existsSync(own)) return own;
  const project = projectRoot();
  const theirs = project ? path.join(project, '..', 'shared', name) : undefined;
  return theirs && fs.existsSync(theirs) ? theirs : own;
}

/** The schema directory: option, else CDK8S_DATA_SCHEMAS, else `<package root>/../shared/schemas`. */
export function schemaDirectory(option?: string): string {
  return path.resolve(option ?? process.env.CDK8S_DATA_SCHEMAS ?? defaultDirectory('schemas'));
}

/** The CRD directory: option, else CDK8S_DATA_CRDS, else `<package root>/../shared/crds`. */
export function crdDirectory(option?: string): string {
  return path.resolve(option ?? process.env.CDK8S_DATA_CRDS ?? defaultDirectory('crds'));
}
