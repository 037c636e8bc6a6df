/** The operand image repository CloudNativePG publishes. */
export const CNPG_POSTGRES_REPOSITORY = 'ghcr.io/cloudnative-pg/postgresql';

/** PostgreSQL majors CloudNativePG 1.30 supports. */
export const SUPPORTED_MAJORS: number[] = [14, 15, 16, 17, 18];
