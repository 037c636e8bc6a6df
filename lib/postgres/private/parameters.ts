import { Problems } from '../../core/errors';

const FIXED = 'is fixed by CloudNativePG (the operator sets it for WAL archiving, replication or TLS to work)';
const BLOCKED = 'is blocked by CloudNativePG (the operator manages files, logging and sockets itself)';

/**
 * postgresql.conf parameters the CloudNativePG webhook rejects (its `FixedConfigurationParameters`,
 * 1.30), with the reason. A manifest setting one of them is refused by the API server.
 */
export const OPERATOR_MANAGED_PARAMETERS: Readonly<Record<string, string>> = {
  allow_system_table_mods: BLOCKED,
  archive_mode: FIXED,
  bonjour: BLOCKED,
  bonjour_name: BLOCKED,
  cluster_name: FIXED,
  config_file: BLOCKED,
  data_directory: BLOCKED,
  data_sync_retry: BLOCKED,
  event_source: BLOCKED,
  external_pid_file: BLOCKED,
  hba_file: BLOCKED,
  hot_standby: BLOCKED,
  ident_file: BLOCKED,
  jit_provider: BLOCKED,
  listen_addresses: BLOCKED,
  logging_collector: BLOCKED,
  port: `${FIXED}; clients always use 5432`,
  primary_conninfo: FIXED,
  primary_slot_name: FIXED,
  recovery_target: `${FIXED}; use bootstrap.recovery.targetTime for point-in-time recovery`,
  recovery_target_action: FIXED,
  recovery_target_inclusive: FIXED,
  recovery_target_lsn: FIXED,
  recovery_target_name: FIXED,
  recovery_target_time: `${FIXED}; use bootstrap.recovery.targetTime for point-in-time recovery`,
  recovery_target_timeline: FIXED,
  recovery_target_xid: FIXED,
  restore_command: FIXED,
  shared_preload_libraries: `${FIXED}; use the sharedPreloadLibraries prop`,
  temp_tablespaces: FIXED,
  unix_socket_directories: BLOCKED,
  unix_socket_group: BLOCKED,
  unix_socket_permissions: BLOCKED,
  archive_cleanup_command: BLOCKED,
  archive_command: `${FIXED}; WAL archiving goes through the Barman Cloud plugin`,
  log_destination: BLOCKED,
  log_directory: BLOCKED,
  log_file_mode: BLOCKED,
  log_filename: BLOCKED,
  log_rotation_age: BLOCKED,
  log_rotation_size: BLOCKED,
  log_truncate_on_rotation: BLOCKED,
  'pg_failover_slots.primary_dsn': FIXED,
  'pg_failover_slots.standby_slot_names': FIXED,
  promote_trigger_file: BLOCKED,
  recovery_end_command: BLOCKED,
  recovery_min_apply_delay: `${BLOCKED}; replica clusters set it through spec.replica.minApplyDelay`,
  restart_after_crash: BLOCKED,
  ssl: `${FIXED}; TLS is always on`,
  ssl_ca_file: `${FIXED}; use the tls prop for your own certificates`,
  ssl_cert_file: `${FIXED}; use the tls prop for your own certificates`,
  ssl_crl_file: FIXED,
  ssl_dh_params_file: FIXED,
  ssl_ecdh_curve: FIXED,
  ssl_key_file: `${FIXED}; use the tls prop for your own certificates`,
  ssl_passphrase_command: FIXED,
  ssl_passphrase_command_supports_reload: FIXED,
  ssl_prefer_server_ciphers: FIXED,
  stats_temp_directory: BLOCKED,
  synchronous_standby_names: `${FIXED}; synchronous replication is configured through spec.postgresql.synchronous`,
  synchronized_standby_slots: FIXED,
  syslog_facility: BLOCKED,
  syslog_ident: BLOCKED,
  syslog_sequence_numbers: BLOCKED,
  syslog_split_messages: BLOCKED,
};

const PARAMETER_NAME = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/;
const LIBRARY_NAME = /^[A-Za-z0-9_$][-A-Za-z0-9_$.\/]*$/;
const HBA_TYPES = ['local', 'host', 'hostssl', 'hostnossl', 'hostgssenc', 'hostnogssenc'];

/** Validates `postgresql.conf` parameters: names, string values, operator-managed ones rejected. */
export function checkParameters(problems: Problems, field: string, parameters: Readonly<Record<string, string>> | undefined): void {
  if (parameters === undefined) return;
  if (!problems.check(typeof parameters === 'object' && parameters !== null && !Array.isArray(parameters), field, parameters,
    'is not a map of parameter names to values', 'give e.g. { max_connections: "200", shared_buffers: "512MB" }')) return;
  for (const [name, value] of Object.entries(parameters)) {
    const path = `${field}.${name}`;
    const key = name.toLowerCase();
    if (!problems.check(PARAMETER_NAME.test(key), path, name, 'is not a PostgreSQL parameter name', 'use lowercase letters, digits and "_", optionally prefixed by an extension name and "."')) continue;
    const reason = OPERATOR_MANAGED_PARAMETERS[key];
    if (reason !== undefined) {
      problems.add(path, value, reason, `remove "${name}"`);
      continue;
    }
    problems.check(typeof value === 'string', path, value, 'is not a string; CloudNativePG parameters are strings',
      `quote the value, e.g. "${String(value)}"`);
  }
}

/** Validates `pg_hba` rules: known connection types and no `trust` authentication. */
export function checkPgHba(problems: Problems, field: string, rules: readonly string[] | undefined): void {
  if (rules === undefined) return;
  if (!problems.check(Array.isArray(rules), field, rules, 'is not a list of rules', 'give rules such as "hostssl app app 10.0.0.0/8 scram-sha-256"')) return;
  rules.forEach((rule, i) => {
    const path = `${field}[${i}]`;
    if (!problems.check(typeof rule === 'string' && rule.trim() !== '' && !/[\n\r]/.test(rule), path, rule, 'is not a one-line pg_hba rule',
      'give one rule per entry, e.g. "hostssl app app 10.0.0.0/8 scram-sha-256"')) return;
    const words = rule.trim().split(/\s+/);
    if (!problems.check(HBA_TYPES.includes(words[0]), path, rule, `starts with "${words[0]}", not a connection type`, `start with one of ${HBA_TYPES.join(', ')}`)) return;
    const minWords = words[0] === 'local' ? 4 : 5;
    problems.check(words.length >= minWords, path, rule, 'is missing fields', words[0] === 'local' ? 'use "local <database> <user> <method>"' : `use "${words[0]} <database> <user> <address> <method>"`);
    problems.check(!words.includes('trust'), path, rule, 'uses "trust", which lets anyone connect without a password', 'use scram-sha-256 or cert');
  });
}

/** Validates shared preload library names. */
export function checkLibraries(problems: Problems, field: string, libraries: readonly string[] | undefined): void {
  if (libraries === undefined) return;
  if (!problems.check(Array.isArray(libraries), field, libraries, 'is not a list of library names', 'give e.g. ["pg_stat_statements"]')) return;
  libraries.forEach((lib, i) => problems.check(typeof lib === 'string' && LIBRARY_NAME.test(lib) && !lib.includes(','), `${field}[${i}]`, lib,
    'is not a library name', 'give one library per entry, e.g. "pg_stat_statements"'));
  problems.check(new Set(libraries).size === libraries.length, field, libraries, 'lists a library twice', 'list each library once');
}
