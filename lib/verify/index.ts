import * as fs from 'fs';
import * as path from 'path';
import { objectRef, VerifyContext } from './context';
import { crdCatalog } from './crds';
import { advancedStatefulSetTemplateProblems, isAdvancedStatefulSet } from './kruise';
import { crdDirectories, MissingSchemasError, schemaDirectory } from './locations';
import { checkCnpg } from './policy/cnpg';
import { checkJobs } from './policy/jobs';
import { checkMetadata } from './policy/metadata';
import { checkPodConfig } from './policy/pod-config';
import { checkPodSecurity } from './policy/pod-security';
import { checkRbac } from './policy/rbac';
import { checkSecrets } from './policy/secrets';
import { checkStateful } from './policy/stateful';
import { CLUSTER_SCOPED_KINDS, DEFAULT_KUBERNETES_VERSIONS, kubernetesSchemas } from './schemas';
import { Finding, SkippedCheck, VerifyOptions, VerifyReport } from './types';
import { writePendingCodeCaches } from './validator-cache';
import { renderedYamlFindings, verifyYamlText } from './yaml-check';

export * from './types';
export { MissingSchemasError } from './locations';
export { verifyYamlText } from './yaml-check';
export { formatMarkdownReport, formatReport, formatSarifReport } from './report';
export { SKIP_CHECK_PREFIX } from './context';

/** Every check id, with its default severity and origin (docs/checks.md). */
export { CHECKS } from './checks';

function flatten(objects: readonly any[]): any[] {
  const out: any[] = [];
  for (const obj of objects) {
    if (obj && typeof obj === 'object' && typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items)) {
      out.push(...flatten(obj.items));
    } else {
      out.push(obj);
    }
  }
  return out;
}

function report(findings: Finding[], skipped: SkippedCheck[] = []): VerifyReport {
  return {
    findings,
    errors: findings.filter(f => f.severity === 'error'),
    warnings: findings.filter(f => f.severity === 'warning'),
    skipped,
  };
}

/** Kinds in these API groups are Kubernetes' own: an unknown one is a mistake, not a missing CRD. */
function builtInGroup(apiVersion: string): boolean {
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  return group === '' || !group.includes('.') || group.endsWith('.k8s.io');
}

/** Problems of one validation, run once per schema content (versions whose schema did not change share it). */
function problemsOnce(bySchema: Map<string, string[]>, key: string | undefined, validate: () => string[]): string[] {
  if (key === undefined) return validate();
  let problems = bySchema.get(key);
  if (!problems) {
    problems = validate();
    bySchema.set(key, problems);
  }
  return problems;
}

function verify(input: readonly any[], options: VerifyOptions, files?: Map<any, string>): VerifyReport {
  const schemaDir = schemaDirectory(options.schemaDir);
  const versions = (options.kubernetesVersions ?? DEFAULT_KUBERNETES_VERSIONS).map(v => kubernetesSchemas(schemaDir, v));
  const crds = crdCatalog(crdDirectories(options));
  const objects = flatten(input);
  const skip = new Set(options.skip ?? []);
  const ctx = new VerifyContext(objects, options.file, files, skip);
  const namespaced = new Map<any, boolean>();

  for (const obj of objects) {
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) {
      ctx.add({ check: 'schema-strict', origin: 'kubeconform', object: {}, message: `not a Kubernetes object: ${JSON.stringify(obj)?.slice(0, 80)}` });
      continue;
    }
    if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') {
      ctx.add({ check: 'schema-strict', origin: 'kubeconform', object: obj, message: 'apiVersion and kind are required' });
      continue;
    }
    const servedBy = versions.filter(v => v.has(obj.apiVersion, obj.kind));
    if (servedBy.length > 0) {
      namespaced.set(obj, !CLUSTER_SCOPED_KINDS.has(obj.kind));
      const byMessage = new Map<string, string[]>();
      const bySchema = new Map<string, string[]>();
      for (const v of versions) {
        for (const m of problemsOnce(bySchema, v.schemaKey(obj), () => v.validate(obj))) byMessage.set(m, [...(byMessage.get(m) ?? []), v.version]);
      }
      for (const [message, vs] of byMessage) {
        ctx.add({ check: 'schema-strict', origin: 'kubeconform', object: obj, message: `${message} (Kubernetes ${vs.map(v => v.replace(/\.0$/, '')).join(', ')})` });
      }
      continue;
    }
    const crd = crds.lookup(obj.apiVersion, obj.kind);
    if (!crd.found) {
      namespaced.set(obj, obj.metadata?.namespace !== undefined);
      if (builtInGroup(obj.apiVersion)) {
        ctx.add({ check: 'schema-strict', origin: 'kubeconform', object: obj, message: `unknown apiVersion/kind ${obj.apiVersion} ${obj.kind}: not a kind of Kubernetes ${versions.map(v => v.version).join(' or ')}` });
      } else {
        ctx.add({
          check: 'missing-schema', origin: 'kubeconform', object: obj, severity: options.ignoreMissingSchemas ? 'warning' : 'error',
          message: `no CRD schema for ${obj.apiVersion} ${obj.kind}, so it is not validated: give its CRD with --crds <dir> (option crdDirs)`
            + (options.ignoreMissingSchemas ? '' : ', or accept unvalidated custom resources with --ignore-missing-schemas'),
        });
      }
      continue;
    }
    if ('error' in crd) {
      ctx.add({ check: 'crd-schema', origin: 'API', object: obj, message: crd.error });
      continue;
    }
    namespaced.set(obj, crd.namespaced);
    for (const m of crd.validate(obj)) ctx.add({ check: 'crd-schema', origin: 'API', object: obj, message: m });
    if (isAdvancedStatefulSet(obj)) {
      for (const [message, vs] of advancedStatefulSetTemplateProblems(obj, versions)) {
        ctx.add({ check: 'crd-schema', origin: 'API', object: obj, message: `${message} (as a core StatefulSet's, Kubernetes ${vs.map(v => v.replace(/\.0$/, '')).join(', ')})` });
      }
    }
    const meta = new Map<string, string[]>();
    const metaBySchema = new Map<string, string[]>();
    for (const v of versions) {
      for (const m of problemsOnce(metaBySchema, v.metadataKey(), () => v.validateMetadata(obj.metadata ?? {}))) meta.set(m, [...(meta.get(m) ?? []), v.version]);
    }
    for (const [message, vs] of meta) {
      ctx.add({ check: 'crd-schema', origin: 'API', object: obj, message: `${message} (ObjectMeta, Kubernetes ${vs.map(v => v.replace(/\.0$/, '')).join(', ')})` });
    }
  }

  if (!files) {
    ctx.findings.push(...renderedYamlFindings(objects, objectRef, () => options.file).filter(f => !skip.has(f.check)));
  }
  if (!options.schemaOnly) {
    checkMetadata(ctx, obj => namespaced.get(obj) ?? true);
    checkPodSecurity(ctx);
    checkPodConfig(ctx);
    checkSecrets(ctx);
    checkStateful(ctx);
    checkCnpg(ctx);
    checkJobs(ctx);
    checkRbac(ctx);
  }
  // The validators this run loaded without V8's compiled code now have their used parts compiled.
  writePendingCodeCaches();
  return report(ctx.findings, ctx.skipped);
}

/**
 * Verifies a set of Kubernetes objects (for example `Testing.synth(chart)`): strict schema
 * against Kubernetes 1.28 and 1.32, CRD schemas, and the policy checks (docs/checks.md). Checks
 * that look across objects (ServiceAccounts, PodDisruptionBudgets, NetworkPolicies, Services) work
 * over the whole set. Uses the schemas bundled with the package unless options say otherwise;
 * throws MissingSchemasError when a schema directory given does not hold schemas.
 */
export function verifyObjects(objects: readonly any[], options: VerifyOptions = {}): VerifyReport {
  return verify(objects, options);
}

/**
 * Why verification cannot run (schema or CRD files missing), or undefined when it can.
 * Tests use it to report themselves as skipped, with the reason, instead of failing or passing.
 */
export function schemasUnavailable(options: VerifyOptions = {}): string | undefined {
  try {
    const schemaDir = schemaDirectory(options.schemaDir);
    for (const v of options.kubernetesVersions ?? DEFAULT_KUBERNETES_VERSIONS) kubernetesSchemas(schemaDir, v);
    crdCatalog(crdDirectories(options));
    return undefined;
  } catch (e) {
    if (e instanceof MissingSchemasError) return e.message;
    throw e;
  }
}

/**
 * Lists every *.yaml / *.yml file under a directory, recursively, sorted by code unit: the same
 * order under every locale, and no collator to load (about 15 ms).
 */
function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...yamlFiles(full));
    else if (/\.ya?ml$/.test(entry.name)) out.push(full);
  }
  return out;
}

/**
 * Verifies every *.yaml / *.yml file under `dir` (for example `dist/`): the YAML checks per
 * file, then all objects together as one set.
 */
export function verifyDirectory(dir: string, options: VerifyOptions = {}): VerifyReport & { readonly files: number; readonly objects: number } {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new Error(`cdk8s-data verify: ${dir} is not a directory (run \`npm run synth\` first to render dist/)`);
  }
  const files = yamlFiles(dir);
  const objects: any[] = [];
  const origin = new Map<any, string>();
  const yamlFindings: Finding[] = [];
  for (const file of files) {
    const rel = path.relative(process.cwd(), file) || file;
    const parsed = verifyYamlText(fs.readFileSync(file, 'utf8'), rel);
    yamlFindings.push(...parsed.findings);
    for (const obj of parsed.objects) {
      objects.push(obj);
      if (obj && typeof obj === 'object') origin.set(obj, rel);
    }
  }
  const result = verify(objects, options, origin);
  const skip = new Set(options.skip ?? []);
  const findings = [...yamlFindings.filter(f => !skip.has(f.check)), ...result.findings];
  return { ...report(findings, [...result.skipped]), files: files.length, objects: objects.length };
}
