/**
 * Shell functions (POSIX sh; bash runs them too) that give cqlsh a login without putting it on a
 * command line, where the process list shows it: cqlsh 4.1+ reads `--credentials FILE`, an INI
 * file (`[PlainTextAuthProvider]` username and password) that it uses only when the caller owns it
 * and no one else may read it. `printf` is a shell builtin, so the password reaches no argv on its
 * way into the file either. Used by the superuser Job and the SchemaMigration Cassandra runner.
 *
 * - `cqlsh_login_check WHAT VALUE` refuses a value the INI file cannot carry: a line break would
 *   end it (other control characters are refused with it), and blanks at either end are trimmed
 *   when it is read.
 * - `cqlsh_login FILE USER PASSWORD` writes FILE with mode 0600 (created under umask 077, so it is
 *   never readable by others, not even for a moment).
 */
export const CQLSH_LOGIN_FUNCTIONS = String.raw`cqlsh_login_check() {
  case "$2" in
    *[[:cntrl:]]*|[[:space:]]*|*[[:space:]]) printf '%s must not contain line breaks (nor other control characters) nor start or end with blank space (cqlsh reads it from an INI file); change the Secret\n' "$1" >&2; return 1 ;;
  esac
}
cqlsh_login() {
  (umask 077 && printf '[PlainTextAuthProvider]\nusername = %s\npassword = %s\n' "$2" "$3" > "$1") && chmod 600 "$1"
}`;
