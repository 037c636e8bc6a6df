/**
 * Shell functions shared by the runners (POSIX sh). Kept free of `${...}` so the scripts can be
 * written as `String.raw` templates and read as plain shell.
 */
export const COMMON_FUNCTIONS = String.raw`
LC_ALL=C
export LC_ALL
log() { printf 'migrate: %s\n' "$*" >&2; }
fail() { printf 'migrate: ERROR: %s\n' "$*" >&2; exit 1; }

[ -n "$MIGRATIONS_DIR" ] || MIGRATIONS_DIR=/migrations
[ -n "$CONNECT_RETRIES" ] || CONNECT_RETRIES=60
[ -n "$CONNECT_INTERVAL" ] || CONNECT_INTERVAL=5
[ -n "$LOCK_WAIT_SECONDS" ] || LOCK_WAIT_SECONDS=600
[ -n "$ALLOW_DESTRUCTIVE" ] || ALLOW_DESTRUCTIVE=false
WORK=$(mktemp -d)

# Hex SHA-256 of a file, as recorded in the tracking table.
checksum() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1
  else openssl dgst -sha256 -r "$1" | cut -d' ' -f1; fi
}

# Was this checksum among the files the synth-time check passed (REVIEWED_CHECKSUMS)?
reviewed() {
  case " $REVIEWED_CHECKSUMS " in *" $1 "*) return 0 ;; esac
  return 1
}

# Checks a migration file name and prints its version.
version_of() {
  case "$1" in
    *[!A-Za-z0-9_.-]*) fail "$1: file names may only hold letters, digits, '_', '.' and '-'" ;;
    [0-9]*_*) ;;
    *) fail "$1: migration files are named <version>_<description>, e.g. 0001_create_orders" ;;
  esac
  v=$(printf '%s' "$1" | cut -d_ -f1)
  case "$v" in *[!0-9]*) fail "$1: the version '$v' must be digits" ;; esac
  printf '%s' "$v"
}

# Plans the run: reads "version checksum" lines of applied migrations from $WORK/applied, checks
# every file against them and writes the pending files, in order, to $WORK/pending. Refuses
# (before anything is applied) when an applied file changed, when a pending file is older than an
# applied one, or, without the opt-in, when a pending file is not one the synth-time check passed.
plan() {
  : > "$WORK/pending"
  max_applied=$(awk 'BEGIN { m = "" } { if (m == "" || $1 + 0 > m + 0) m = $1 } END { print m }' "$WORK/applied")
  for f in "$MIGRATIONS_DIR"/*."$1"; do
    [ -e "$f" ] || continue
    name=$(basename "$f")
    version=$(version_of "$name") || exit 1
    sum=$(checksum "$f")
    recorded=$(awk -v v="$version" '$1 == v { print $2 }' "$WORK/applied")
    if [ -n "$recorded" ]; then
      [ "$recorded" = "$sum" ] || fail "$name was applied with checksum $recorded but the file now has checksum $sum: an applied migration must never change; revert the edit and add a new migration file instead"
      continue
    fi
    if [ -n "$max_applied" ] && awk -v a="$version" -v b="$max_applied" 'BEGIN { exit !(a + 0 < b + 0) }'; then
      fail "$name is pending but version $max_applied is already applied: give the new file a version above $max_applied"
    fi
    if [ "$ALLOW_DESTRUCTIVE" != true ] && ! reviewed "$sum"; then
      fail "$name (checksum $sum) was not checked for destructive statements when the SchemaMigration was rendered: only the rendered files are applied; render it again (or set allowDestructiveChanges: true on the SchemaMigration)"
    fi
    printf '%s %s %s\n' "$version" "$sum" "$f" >> "$WORK/pending"
  done
  count=$(wc -l < "$WORK/pending" | tr -d ' ')
  log "$count pending migration(s)"
}
`;
