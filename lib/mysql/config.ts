import { Duration } from 'cdk8s';
import { Problems } from '../core/errors';
import { checkInteger, parseQuantity } from '../core/quantity';

/**
 * Server settings rendered into `/etc/mysql/conf.d/cdk8s-data.cnf` (section `[mysqld]`).
 * The file also sets `skip-name-resolve` (no DNS lookups on connect; accounts are created for
 * host `%`, which the official image does), unless `extra` turns it off.
 */
export interface MySqlConfig {
  /**
   * `max_connections`.
   * @default the server's default (151)
   */
  readonly maxConnections?: number;
  /**
   * `innodb_buffer_pool_size`, as a Kubernetes quantity (`512Mi`, `2Gi`). At most 80 % of the
   * container's memory limit, which also has to hold per-connection buffers.
   * @default half of the memory limit
   */
  readonly innodbBufferPoolSize?: string;
  /**
   * `character_set_server`.
   * @default 'utf8mb4'
   */
  readonly characterSet?: string;
  /**
   * `collation_server`.
   * @default the character set's default collation
   */
  readonly collation?: string;
  /**
   * Turns on the slow query log (`slow_query_log`, in the data directory) for statements that
   * take longer than this (`long_query_time`), from 1 millisecond to 1 hour, e.g.
   * `Duration.seconds(2)` or `Duration.millis(500)`.
   * @default the slow query log stays off
   */
  readonly slowQueryThreshold?: Duration;
  /**
   * Further `[mysqld]` options, name to value (an empty value writes the bare option name).
   * Names use lowercase letters, digits, `_` and `-`; they override the typed settings above.
   * Options the construct relies on (`datadir`, `socket`, `port`, `bind-address`, `user`,
   * `pid-file`, `skip-networking`) and anything that looks like a credential are rejected.
   * @default none
   */
  readonly extra?: { [key: string]: string };
}

const RESERVED = new Set(['datadir', 'socket', 'port', 'bind_address', 'user', 'pid_file', 'skip_networking', 'mysqlx_socket', 'mysqlx_port', 'secure_file_priv']);
const CREDENTIAL_LIKE = /password|secret|token|credential|_key$|^key$/;

/** The whole milliseconds of a Duration; NaN for anything else (a fraction of a millisecond too). */
function wholeMillis(value: unknown): number {
  try {
    return value instanceof Duration ? value.toMilliseconds() : NaN;
  } catch {
    return NaN;
  }
}

function optionKey(name: string): string {
  return name.replace(/-/g, '_');
}

/**
 * Validates `config` and renders the option file. `memoryBytes` is the container's memory
 * limit (undefined when the resources are invalid; the related checks are then skipped).
 */
export function renderConfig(problems: Problems, field: string, config: MySqlConfig | undefined, memoryBytes: number | undefined, header: string): string {
  const options = new Map<string, { name: string; value: string }>();
  const set = (name: string, value: string) => options.set(optionKey(name), { name, value });

  set('skip-name-resolve', '');
  const charset = config?.characterSet ?? 'utf8mb4';
  if (problems.check(typeof charset === 'string' && /^[a-z0-9_]{1,32}$/.test(charset), `${field}.characterSet`, charset,
    'is not a character set name', 'use a MySQL character set such as "utf8mb4"')) {
    set('character-set-server', charset);
  }
  if (config?.collation !== undefined) {
    const collation = config.collation;
    if (problems.check(typeof collation === 'string' && /^[a-z0-9_]{1,64}$/.test(collation) && collation.startsWith(`${charset}_`),
      `${field}.collation`, collation, `is not a collation of the character set "${charset}"`, `use a collation such as "${charset}_0900_ai_ci" or "${charset}_unicode_ci"`)) {
      set('collation-server', collation);
    }
  }
  if (config?.maxConnections !== undefined && checkInteger(problems, `${field}.maxConnections`, config.maxConnections, 1, 100000)) {
    set('max_connections', String(config.maxConnections));
  }

  let poolBytes: number | undefined;
  if (config?.innodbBufferPoolSize !== undefined) {
    const parsed = parseQuantity(config.innodbBufferPoolSize);
    if (parsed === undefined || !Number.isInteger(parsed)) {
      problems.add(`${field}.innodbBufferPoolSize`, config.innodbBufferPoolSize, 'is not a whole number of bytes as a Kubernetes quantity',
        'use binary units such as "512Mi" or "2Gi" (not "2GB")');
    } else if (parsed < 32 * 2 ** 20) {
      problems.add(`${field}.innodbBufferPoolSize`, config.innodbBufferPoolSize, 'is below 32Mi', 'give the buffer pool at least "128Mi"');
    } else if (memoryBytes !== undefined && parsed > memoryBytes * 0.8) {
      problems.add(`${field}.innodbBufferPoolSize`, config.innodbBufferPoolSize, 'is more than 80 % of the memory limit, leaving too little for connections and the OS',
        'lower it, or raise resources.memory');
    } else {
      poolBytes = parsed;
    }
  } else if (memoryBytes !== undefined) {
    poolBytes = Math.max(32, Math.floor(memoryBytes / 2 / 2 ** 20)) * 2 ** 20;
  }
  if (poolBytes !== undefined) set('innodb_buffer_pool_size', String(poolBytes));

  if (config?.slowQueryThreshold !== undefined) {
    const millis = wholeMillis(config.slowQueryThreshold);
    if (problems.check(millis >= 1 && millis <= 3600_000, `${field}.slowQueryThreshold`, config.slowQueryThreshold,
      'must be a Duration of whole milliseconds from 1ms to 1 hour', 'give e.g. Duration.seconds(2) or Duration.millis(500)')) {
      set('slow_query_log', 'ON');
      set('long_query_time', String(millis / 1000));
    }
  }

  for (const [name, value] of Object.entries(config?.extra ?? {})) {
    const key = optionKey(name);
    if (!/^[a-z][a-z0-9_-]{0,63}$/.test(name)) {
      problems.add(`${field}.extra`, name, 'is not an option name', 'use lowercase letters, digits, "_" and "-", e.g. "innodb_log_file_size"');
    } else if (RESERVED.has(key)) {
      problems.add(`${field}.extra`, name, 'is set by the construct (data directory, socket, port, user)', 'leave it out');
    } else if (key === 'skip_grant_tables') {
      problems.add(`${field}.extra`, name, 'turns off every password and privilege check: any pod that reaches port 3306 is root',
        'leave it out; to reset a lost root password, change the Secret and run a one-off server by hand');
    } else if (CREDENTIAL_LIKE.test(key)) {
      problems.add(`${field}.extra`, name, 'looks like a credential, which must not go into a ConfigMap', 'leave it out; credentials come from Secrets');
    } else if (typeof value !== 'string' || /[\r\n\0]/.test(value) || value.length > 1024) {
      problems.add(`${field}.extra.${name}`, value, 'is not a one-line value', 'give a single-line string, e.g. "256M"');
    } else {
      set(name, value);
    }
  }

  const lines = [...options.values()].map(({ name, value }) => (value === '' ? name : `${name} = ${value}`));
  return [`# ${header}`, '[mysqld]', ...lines, ''].join('\n');
}
