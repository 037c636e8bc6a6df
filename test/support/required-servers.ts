/**
 * Real-server tests skip, with the reason, on a machine without the database packages. CI sets
 * REQUIRE_DB_SERVERS=1 after installing them, so there a missing server fails the run instead of
 * quietly skipping the tests that prove the scripts work.
 */
export function unlessRequired(skipReason: string | undefined): string | undefined {
  if (skipReason && process.env.REQUIRE_DB_SERVERS === '1') {
    throw new Error(`REQUIRE_DB_SERVERS=1 but a database server is missing: ${skipReason}`);
  }
  return skipReason;
}
