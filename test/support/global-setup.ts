import { delimiter } from 'path';
import { postgresBinDir } from './postgres';

/**
 * Runs once before the workers start; they inherit its environment.
 *
 * Debian installs `psql`, `pg_dump` and `pg_restore` on PATH as links to a Perl wrapper that picks
 * a server version and costs about 60 ms per call, more than the connection itself. The images the
 * scripts run in have the client binaries on PATH directly; so do the tests, from the newest
 * installed version (the same one the test servers run).
 */
export default function globalSetup(): void {
  const bin = postgresBinDir();
  const path = process.env.PATH ?? '';
  if (bin && !path.split(delimiter).includes(bin)) process.env.PATH = `${bin}${delimiter}${path}`;
}
