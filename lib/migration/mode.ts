/** How a SchemaMigration applies changes. */
export enum MigrationMode {
  /**
   * Atlas Operator resources (`AtlasSchema` for a declarative schema, `AtlasMigration` for
   * versioned files). PostgreSQL and MySQL only; needs the Atlas Operator in the cluster.
   */
  ATLAS = 'atlas',
  /** A Kubernetes Job running a runner script with the engine's own client (psql, mysql, cqlsh). */
  JOB = 'job',
}
