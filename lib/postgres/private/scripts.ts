import { PgDumpFormat } from '../logical-backup';

/** Where the dump script writes, inside the backup pod. */
export const BACKUP_MOUNT = '/backup';

/** File extension of dumps in each format. */
export function dumpExtension(format: PgDumpFormat): string {
  return format === PgDumpFormat.CUSTOM ? '.dump' : '.sql.gz';
}

/**
 * The dump script. It reads the connection from libpq's `PG*` variables, writes the dump under a
 * temporary name, checks that the archive reads back, renames it to `<db>-<UTC timestamp><ext>`
 * and then deletes all but the newest `BACKUP_KEEP` dumps. A failed dump leaves older dumps alone.
 */
export function dumpScript(format: PgDumpFormat): string {
  const ext = dumpExtension(format);
  const dump = format === PgDumpFormat.CUSTOM
    ? 'pg_dump --no-password --format=custom --compress=6 --file="$tmp"\npg_restore --list "$tmp" > /dev/null'
    : 'pg_dump --no-password --format=plain --clean --if-exists | gzip -6 > "$tmp"\ngzip -t "$tmp"';
  return `set -euo pipefail
export LC_ALL=C
umask 077
dir="\${BACKUP_DIR:?}"
keep="\${BACKUP_KEEP:?}"
db="\${PGDATABASE:?}"
name="\${db}-$(date -u +%Y%m%dT%H%M%S%NZ)${ext}"
tmp="\${dir}/.\${name}.partial"
trap 'rm -f -- "$tmp"' EXIT
${dump}
mv -- "$tmp" "\${dir}/\${name}"
trap - EXIT
echo "wrote \${name} ($(wc -c < "\${dir}/\${name}") bytes)"
shopt -s nullglob
dumps=("\${dir}/\${db}"-*${ext})
excess=$(( \${#dumps[@]} - keep ))
for (( i = 0; i < excess; i++ )); do
  rm -f -- "\${dumps[i]}"
  echo "removed $(basename -- "\${dumps[i]}")"
done
`;
}

/**
 * The restore script: restores `RESTORE_FILE` (a file name on the backup volume, or `latest`) into
 * the database, dropping and re-creating the objects the dump contains, in one transaction.
 */
export function restoreScript(format: PgDumpFormat): string {
  const ext = dumpExtension(format);
  const restore = format === PgDumpFormat.CUSTOM
    ? 'pg_restore --no-password --clean --if-exists --no-owner --single-transaction --exit-on-error --dbname="$db" "$file"'
    : 'gzip -dc "$file" | psql --no-password --quiet --single-transaction -v ON_ERROR_STOP=1 --dbname="$db"';
  return `set -euo pipefail
export LC_ALL=C
dir="\${BACKUP_DIR:?}"
db="\${PGDATABASE:?}"
file="\${RESTORE_FILE:-latest}"
if [ "$file" = latest ]; then
  shopt -s nullglob
  dumps=("\${dir}/\${db}"-*${ext})
  if [ \${#dumps[@]} -eq 0 ]; then echo "no dump of \${db} in \${dir}" >&2; exit 1; fi
  file="\${dumps[\${#dumps[@]}-1]}"
else
  case "$file" in */*) echo "RESTORE_FILE must be a file name in \${dir}" >&2; exit 1;; esac
  file="\${dir}/\${file}"
fi
echo "restoring $(basename -- "$file") into \${db}"
${restore}
echo "restore complete"
`;
}

/** The script of a rendered CronJob or Job (for tests and tooling). */
export function scriptOf(manifest: any): string {
  const spec = manifest.spec.jobTemplate?.spec ?? manifest.spec;
  return spec.template.spec.containers[0].command[2];
}
