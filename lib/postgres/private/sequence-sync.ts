/**
 * The sequence-sync script of a blue/green major upgrade, run once at cutover. Logical replication
 * copies rows but not sequence positions: without this, the first INSERT on the new cluster would
 * reuse an id the old one already handed out.
 *
 * Environment: libpq's `PG*` variables reach the target (the new cluster); `SOURCE_PGHOST`,
 * `SOURCE_PGPORT`, `SOURCE_PGUSER`, `SOURCE_PGPASSWORD`, `SOURCE_PGDATABASE` reach the source (the
 * old one); `SUBSCRIPTION` names the subscription, whose replication slot on the source has the
 * same name. The script
 * 1. waits until every table of the subscription has finished its initial copy on the target,
 *    then reads the source's current WAL position and waits until the subscription has confirmed
 *    it (every row written before that moment is on the target);
 * 2. reads every sequence's position on the source and sets it on the target, in one transaction.
 * Values reach SQL only through psql variables (`:'name'`) or `format(%L/%I)` on the server.
 * The Job's activeDeadlineSeconds bounds the wait.
 */
export const SEQUENCE_SYNC_SCRIPT = `set -euo pipefail
export LC_ALL=C
sub="\${SUBSCRIPTION:?}"
source_psql() {
  PGHOST="\${SOURCE_PGHOST:?}" PGPORT="\${SOURCE_PGPORT:?}" PGUSER="\${SOURCE_PGUSER:?}" PGPASSWORD="\${SOURCE_PGPASSWORD:?}" \\
    PGDATABASE="\${SOURCE_PGDATABASE:?}" psql -X -q -A -t -v ON_ERROR_STOP=1 --no-password "$@"
}
target_psql() { psql -X -q -A -t -v ON_ERROR_STOP=1 --no-password "$@"; }
until [ "$(target_psql -v sub="$sub" <<'SQL'
SELECT EXISTS (SELECT 1 FROM pg_subscription WHERE subname = :'sub')
  AND NOT EXISTS (SELECT 1 FROM pg_subscription s JOIN pg_subscription_rel r ON r.srsubid = s.oid WHERE s.subname = :'sub' AND r.srsubstate <> 'r');
SQL
)" = t ]; do
  echo "waiting for the initial copy of subscription \${sub}"; sleep 2
done
lsn=$(source_psql -c 'SELECT pg_current_wal_lsn()')
echo "source WAL position: \${lsn}; waiting for subscription \${sub} to confirm it"
until [ "$(source_psql -v slot="$sub" -v lsn="$lsn" <<'SQL'
SELECT coalesce(bool_and(confirmed_flush_lsn >= :'lsn'::pg_lsn), false) FROM pg_replication_slots WHERE slot_name = :'slot';
SQL
)" = t ]; do
  sleep 2
done
echo "subscription \${sub} has caught up"
count=$(source_psql <<'SQL' | target_psql --single-transaction | wc -l
SELECT format('SELECT setval(%L, %s, true);', format('%I.%I', schemaname, sequencename), last_value)
FROM pg_sequences WHERE last_value IS NOT NULL ORDER BY schemaname, sequencename;
SQL
)
echo "copied \${count} sequence position(s)"
`;
