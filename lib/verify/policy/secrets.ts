import { allContainers, list, map, VerifyContext } from '../context';

/** Name tokens that mark a credential (`DB_PASSWORD`, `apiToken`, `SECRET_KEY`). */
const CREDENTIAL_TOKENS = new Set(['pwd', 'pass', 'key', 'apikey', 'privatekey', 'accesskey']);
/** Words that mark a credential even inside a longer token (`PGPASSWORD`). */
const CREDENTIAL_WORDS = /password|passwd|secret|token|credential/;
/** Suffix tokens that make the name a reference rather than a value (`PASSWORD_FILE`, `SECRET_NAME`). */
const REFERENCE_TOKENS = new Set(['file', 'path', 'dir', 'name', 'ref', 'env', 'mode', 'policy', 'length', 'size', 'id', 'space', 'store', 'type', 'method']);
/** Tokens that make the name a count (`CASSANDRA_NUM_TOKENS`, `MAX_TOKENS`) when its value is a number. */
const QUANTITY_TOKENS = new Set(['num', 'count', 'max', 'min']);
/** Values that are flags, not secrets (`MYSQL_RANDOM_ROOT_PASSWORD=yes`). */
const FLAG_VALUES = new Set(['', 'yes', 'no', 'true', 'false', '1', '0', 'on', 'off', 'y', 'n']);
const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;
/** `scheme://user:password@` where the password is not a shell or Kubernetes variable reference. */
const URL_WITH_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^\s:@/]+:(?![$%{])[^\s@/]+@/i;
/** Keys whose literal string value in a custom resource is a credential. */
const CR_CREDENTIAL_KEYS = new Set(['password', 'passwd', 'token', 'secret', 'apiKey', 'accessKey', 'secretAccessKey', 'accessKeyId', 'connectionString']);
const DB_URL = /^(postgres(ql)?|mysql|mariadb|cassandra|cql|mongodb(\+srv)?|redis|sqlserver|clickhouse|jdbc:[a-z]+):\/\//i;

function tokens(name: string): string[] {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
}

/** Whether an env or key name says it holds a credential value. */
export function isCredentialName(name: string): boolean {
  const t = tokens(name);
  if (t.length === 0 || REFERENCE_TOKENS.has(t[t.length - 1])) return false;
  return t.some(x => CREDENTIAL_TOKENS.has(x) || CREDENTIAL_WORDS.test(x));
}

/** Whether a name such as `NUM_TOKENS` with an integer value is a setting rather than a credential. */
export function isQuantity(name: string, value: string): boolean {
  return /^\d+$/.test(value.trim()) && tokens(name).some(t => QUANTITY_TOKENS.has(t));
}

/** Why a literal value looks like a credential, or undefined. */
export function credentialInValue(value: string): string | undefined {
  if (PRIVATE_KEY.test(value)) return 'contains a private key';
  if (URL_WITH_PASSWORD.test(value)) return 'contains a URL with a password (scheme://user:pass@)';
  return undefined;
}

/**
 * no-plaintext-secrets (env, Secrets, ConfigMaps, custom resources) and job-credentials
 * (database URLs and passwords in Jobs come from secretKeyRef).
 */
export function checkSecrets(ctx: VerifyContext): void {
  for (const pod of ctx.pods) {
    const job = pod.owner.kind === 'Job' || pod.owner.kind === 'CronJob';
    for (const c of allContainers(pod.spec)) {
      for (const e of list(c.env)) {
        if (typeof e?.value !== 'string') continue;
        const byName = typeof e.name === 'string' && isCredentialName(e.name) && !FLAG_VALUES.has(e.value.trim().toLowerCase()) && !isQuantity(e.name, e.value);
        const byValue = credentialInValue(e.value);
        if (byName || byValue) {
          ctx.add({ check: 'no-plaintext-secrets', origin: 'KL', object: pod.owner, container: c.name, message: `env ${e.name} ${byValue ?? 'holds a literal credential'}; use valueFrom.secretKeyRef or a *_FILE mount` });
        }
        if (job && (DB_URL.test(e.value.trim()) || byName)) {
          ctx.add({ check: 'job-credentials', origin: 'KL', object: pod.owner, container: c.name, message: `env ${e.name} is an inline ${byName ? 'credential' : 'database URL'}; take it from a Secret with valueFrom.secretKeyRef` });
        }
      }
      for (const arg of [...list(c.command), ...list(c.args)]) {
        const why = typeof arg === 'string' ? credentialInValue(arg) : undefined;
        if (why) ctx.add({ check: job ? 'job-credentials' : 'no-plaintext-secrets', origin: 'KL', object: pod.owner, container: c.name, message: `command or args ${why}; read it from a Secret` });
      }
    }
  }
  for (const obj of ctx.objects) {
    if (obj?.kind === 'Secret' && obj.apiVersion === 'v1') {
      const keys = [...Object.keys(map(obj.data)), ...Object.keys(map(obj.stringData))];
      if (keys.length > 0) {
        ctx.add({ check: 'no-plaintext-secrets', origin: 'KL', object: obj, message: `Secret carries literal data (${keys.join(', ')}); reference an existing Secret or an ExternalSecret instead` });
      }
    } else if (obj?.kind === 'ConfigMap' && obj.apiVersion === 'v1') {
      for (const [key, value] of Object.entries(map(obj.data))) {
        if (typeof value !== 'string') continue;
        const why = credentialInValue(value);
        if (why || (isCredentialName(key) && !FLAG_VALUES.has(value.trim().toLowerCase()))) {
          ctx.add({ check: 'no-plaintext-secrets', origin: 'PO', object: obj, message: `ConfigMap key ${key} ${why ?? 'looks like a credential'}; keep credentials in Secrets` });
        }
      }
    } else if (obj && typeof obj.apiVersion === 'string' && obj.apiVersion.includes('.') && !obj.apiVersion.endsWith('.k8s.io/v1') && obj.spec) {
      scanCustomResource(ctx, obj, obj.spec, 'spec');
    }
  }
}

function scanCustomResource(ctx: VerifyContext, obj: any, value: any, where: string): void {
  if (typeof value === 'string') {
    const why = credentialInValue(value);
    if (why) ctx.add({ check: isMigration(obj) ? 'job-credentials' : 'no-plaintext-secrets', origin: 'KL', object: obj, message: `${where} ${why}; reference a Secret (for Atlas: urlFrom.secretKeyRef or credentials.passwordFrom)` });
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => scanCustomResource(ctx, obj, v, `${where}[${i}]`));
    return;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (CR_CREDENTIAL_KEYS.has(k) && typeof v === 'string' && v !== '') {
        ctx.add({ check: isMigration(obj) ? 'job-credentials' : 'no-plaintext-secrets', origin: 'KL', object: obj, message: `${where}.${k} is a literal credential; reference a Secret` });
      } else {
        scanCustomResource(ctx, obj, v, `${where}.${k}`);
      }
    }
  }
}

function isMigration(obj: any): boolean {
  return typeof obj.apiVersion === 'string' && obj.apiVersion.startsWith('db.atlasgo.io/');
}
