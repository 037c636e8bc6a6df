import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { unlessRequired } from './required-servers';
import { startServerProcess } from './server-process';

/**
 * A throwaway S3-compatible server on loopback for tests: s3rver (npm) in a child process, with
 * its objects in a temporary directory. The access keys are s3rver's fixed ones.
 */
export interface S3Server {
  readonly endpoint: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Stops the server and deletes its directory. */
  cleanup(): Promise<void>;
}

/** Why an S3 server or the rclone client cannot be used here, or undefined when they can (throws under REQUIRE_DB_SERVERS=1). */
export function s3Unavailable(): string | undefined {
  let reason: string | undefined;
  try {
    require.resolve('s3rver');
  } catch {
    reason = 'the s3rver npm package is not installed';
  }
  if (!reason && spawnSync('sh', ['-c', 'command -v rclone'], { encoding: 'utf8' }).status !== 0) {
    reason = 'rclone not found; install Debian\'s rclone (apt-get install rclone)';
  }
  return unlessRequired(reason);
}

/** Starts s3rver on a free loopback port with the given buckets. */
export async function startS3(buckets: string[]): Promise<S3Server> {
  const reason = s3Unavailable();
  if (reason) throw new Error(reason);
  const dir = mkdtempSync(join(tmpdir(), 'cdk8s-data-s3-'));
  const server = await startServerProcess('s3rver', process.execPath, [join(__dirname, 's3-server.js'), dir, ...buckets], /^(\d+)\n/);
  return {
    endpoint: `http://127.0.0.1:${server.port}`,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    cleanup: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
