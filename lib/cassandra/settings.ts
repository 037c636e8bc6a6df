/**
 * Typed `cassandra.yaml` overrides. The official image's entrypoint maps only a few environment
 * variables (cluster name, seeds, snitch, addresses); everything else is written into the copied
 * `cassandra.yaml` by the config init container. Names follow the 4.1+ style (with units in values).
 */
export interface CassandraSettings {
  /** `num_tokens`: virtual nodes per node. @default 16 */
  readonly numTokens?: number;
  /** `allocate_tokens_for_local_replication_factor`: token allocation tuned for this RF. @default 3 */
  readonly allocateTokensForLocalReplicationFactor?: number;
  /** `concurrent_reads`. @default the image's (32) */
  readonly concurrentReads?: number;
  /** `concurrent_writes`. @default the image's (32) */
  readonly concurrentWrites?: number;
  /** `compaction_throughput`, e.g. `64MiB/s`. @default the image's */
  readonly compactionThroughput?: string;
  /** `stream_throughput_outbound`, e.g. `24MiB/s`. @default the image's */
  readonly streamThroughputOutbound?: string;
  /** `max_hint_window`, e.g. `3h`. @default the image's (3h) */
  readonly maxHintWindow?: string;
  /**
   * Further top-level `cassandra.yaml` keys, rendered as given. Each value is a string, a number,
   * a boolean, or a flat map of those. Keys the library manages (seeds, addresses, snitch,
   * cluster name, authentication) are refused.
   * @default none
   */
  readonly extra?: { [key: string]: any };
}
