import { Problems } from '../../core/errors';
import { CassandraSettings } from '../settings';

/** A `cassandra.yaml` value the library renders: a scalar, or a flat map of scalars. */
export type CassandraYamlValue = string | number | boolean | Readonly<Record<string, string | number | boolean>>;

/** Keys the library or the image's entrypoint sets; overriding them here would be silently undone or break the node. */
export const RESERVED_KEYS: readonly string[] = [
  'seed_provider', 'cluster_name', 'endpoint_snitch', 'listen_address', 'listen_interface', 'broadcast_address',
  'rpc_address', 'rpc_interface', 'broadcast_rpc_address', 'num_tokens', 'authenticator', 'authorizer', 'role_manager',
  'data_file_directories', 'commitlog_directory', 'saved_caches_directory', 'hints_directory', 'cdc_raw_directory',
  'native_transport_port', 'storage_port', 'ssl_storage_port', 'start_rpc',
];

const KEY = /^[a-z][a-z0-9_]*$/;
const UNIT = /^[0-9]+(\.[0-9]+)?[A-Za-z/]+$/;

/** The settings written into `cassandra.yaml`, by key, in a stable order. */
export type RenderedSettings = ReadonlyArray<readonly [string, CassandraYamlValue]>;

function scalarOk(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value === 'boolean') return true;
  return typeof value === 'string' && value.length <= 1000 && !/[\n\r]/.test(value);
}

/** Validated settings: what goes into `cassandra.yaml` (num_tokens included, written there rather than through CASSANDRA_NUM_TOKENS). */
export interface ResolvedSettings {
  readonly yaml: RenderedSettings;
  readonly numTokens: number;
}

/** Validates the overrides and renders them (with the library's own settings) as key/value pairs. */
export function resolveSettings(problems: Problems, field: string, settings: CassandraSettings | undefined, managed: Record<string, CassandraYamlValue>): ResolvedSettings {
  const s: CassandraSettings = settings ?? {};
  const out: Record<string, CassandraYamlValue> = {};
  const int = (name: keyof CassandraSettings, key: string, min: number, max: number, dflt?: number) => {
    const v = s[name] ?? dflt;
    if (v === undefined) return;
    if (problems.check(typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max, `${field}.${name}`, v,
      `must be a whole number from ${min} to ${max}`, `give a whole number between ${min} and ${max}`)) out[key] = v as number;
  };
  const unit = (name: keyof CassandraSettings, key: string, example: string) => {
    const v = s[name];
    if (v === undefined) return;
    if (problems.check(typeof v === 'string' && UNIT.test(v), `${field}.${name}`, v, 'is not a value with a unit', `use e.g. "${example}"`)) out[key] = v as string;
  };
  int('numTokens', 'num_tokens', 1, 256, 16);
  const numTokens = (out.num_tokens as number | undefined) ?? 16;
  int('allocateTokensForLocalReplicationFactor', 'allocate_tokens_for_local_replication_factor', 1, 10, 3);
  int('concurrentReads', 'concurrent_reads', 1, 1024);
  int('concurrentWrites', 'concurrent_writes', 1, 1024);
  unit('compactionThroughput', 'compaction_throughput', '64MiB/s');
  unit('streamThroughputOutbound', 'stream_throughput_outbound', '24MiB/s');
  unit('maxHintWindow', 'max_hint_window', '3h');
  for (const [key, value] of Object.entries(s.extra ?? {}) as Array<[string, unknown]>) {
    const f = `${field}.extra.${key}`;
    if (!problems.check(KEY.test(key), f, key, 'is not a cassandra.yaml key', 'use the lowercase snake_case key from cassandra.yaml')) continue;
    if (!problems.check(!RESERVED_KEYS.includes(key), f, key, 'is managed by the construct', 'use the construct prop for it (clusterName, settings.numTokens, authentication, ...)')) continue;
    if (!problems.check(!(key in out), f, key, 'is already set by a typed setting', 'set it once, through the typed setting')) continue;
    const ok = typeof value === 'object' && value !== null && !Array.isArray(value)
      ? Object.entries(value).every(([k, v]) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) && scalarOk(v))
      : scalarOk(value);
    if (problems.check(ok, f, value, 'is not a scalar or a flat map of scalars', 'give a string, number, boolean, or a map of those')) out[key] = value as CassandraYamlValue;
  }
  for (const [key, value] of Object.entries(managed)) out[key] = value;
  return { yaml: Object.keys(out).sort().map(k => [k, out[k]] as const), numTokens };
}

function yamlScalar(value: string | number | boolean): string {
  // JSON is valid YAML: strings come out double-quoted and escaped.
  return JSON.stringify(value);
}

/** Renders settings as top-level YAML lines. */
export function renderYaml(settings: RenderedSettings): string {
  const lines: string[] = [];
  for (const [key, value] of settings) {
    if (typeof value === 'object') {
      lines.push(`${key}:`);
      for (const [k, v] of Object.entries(value)) lines.push(`  ${k}: ${yamlScalar(v)}`);
    } else {
      lines.push(`${key}: ${yamlScalar(value)}`);
    }
  }
  return lines.join('\n');
}

/**
 * The config init container's script. It copies the image's configuration directory
 * (`$CONFIG_SOURCE`, `/etc/cassandra`) into the writable emptyDir (`$CONFIG_TARGET`) that the
 * main container mounts at `/etc/cassandra`, removes every top-level block of `cassandra.yaml`
 * the settings override (the key line and its indented continuation; comments stay), and appends
 * the settings. The result has each key once. Runs under bash in the Cassandra image.
 */
export function configInitScript(settings: RenderedSettings): string {
  const keys = settings.map(([k]) => k).join(' ');
  return [
    'set -eu',
    'src="${CONFIG_SOURCE:-/etc/cassandra}"',
    'dst="${CONFIG_TARGET:?CONFIG_TARGET is not set}"',
    'cp -R "$src"/. "$dst"/',
    'yaml="$dst/cassandra.yaml"',
    '[ -f "$yaml" ] || { echo "no cassandra.yaml in $src" >&2; exit 1; }',
    `awk -v keys='${keys}' '`,
    '  BEGIN { n = split(keys, list, " "); for (i = 1; i <= n; i++) drop[list[i]] = 1 }',
    '  /^[A-Za-z_][A-Za-z0-9_]*[ \\t]*:/ { k = $0; sub(/[ \\t]*:.*/, "", k); skipping = (k in drop); if (!skipping) print; next }',
    '  /^[ \\t]*(#|$)/ { print; next }',
    '  /^([ \\t]|-)/ { if (!skipping) print; next }',
    '  { skipping = 0; print }',
    `' "$yaml" > "$yaml.new"`,
    `cat >> "$yaml.new" <<'CDK8S_DATA_SETTINGS'`,
    '# Settings rendered by cdk8s-data',
    renderYaml(settings),
    'CDK8S_DATA_SETTINGS',
    'mv "$yaml.new" "$yaml"',
    `echo "copied $src to $dst; cassandra.yaml: ${settings.length} settings applied"`,
  ].join('\n');
}
