import { createHmac } from 'crypto';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { unlessRequired } from './required-servers';
import { s3Unavailable } from './s3';
import { startServerProcess } from './server-process';

/** Azurite's well-known development account (public, documented by Microsoft). */
const ACCOUNT = 'devstoreaccount1';
const ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/**
 * A throwaway Azure Blob Storage emulator (Azurite, npm) on loopback for tests, in a child process
 * with its blobs in a temporary directory. Addressed path-style: `<serviceUrl>/<container>/<blob>`.
 */
export interface AzuriteServer {
  /** `http://127.0.0.1:<port>/devstoreaccount1`. */
  readonly serviceUrl: string;
  /** An account SAS (blob service, read/write/list/delete/create), without the leading `?`. */
  readonly sasToken: string;
  cleanup(): Promise<void>;
}

/** Why Azurite or rclone cannot be used here, or undefined when they can (throws under REQUIRE_DB_SERVERS=1). */
export function azuriteUnavailable(): string | undefined {
  try {
    require.resolve('azurite/dist/src/blob/main.js');
  } catch {
    return unlessRequired('the azurite npm package is not installed');
  }
  return s3Unavailable();
}

/** An account SAS signed with the account key (version 2019-12-12 string-to-sign). */
function accountSas(): string {
  const fields = { sv: '2019-12-12', ss: 'b', srt: 'sco', sp: 'rwdlac', se: '2099-01-01T00:00:00Z', spr: 'https,http' };
  const toSign = [ACCOUNT, fields.sp, fields.ss, fields.srt, '', fields.se, '', fields.spr, fields.sv, ''].join('\n');
  const sig = createHmac('sha256', Buffer.from(ACCOUNT_KEY, 'base64')).update(toSign, 'utf8').digest('base64');
  return new URLSearchParams({ ...fields, sig }).toString();
}

/** Starts Azurite's blob service on a free loopback port with the given containers. */
export async function startAzurite(containers: string[]): Promise<AzuriteServer> {
  const reason = azuriteUnavailable();
  if (reason) throw new Error(reason);
  const dir = mkdtempSync(join(tmpdir(), 'cdk8s-data-azurite-'));
  const server = await startServerProcess('azurite', process.execPath, [require.resolve('azurite/dist/src/blob/main.js'),
    '--blobHost', '127.0.0.1', '--blobPort', '0', '--location', dir, '--skipApiVersionCheck', '--disableTelemetry'], /listens on http:\/\/127\.0\.0\.1:(\d+)/);
  const serviceUrl = `http://127.0.0.1:${server.port}/${ACCOUNT}`;
  const sasToken = accountSas();
  for (const container of containers) {
    const response = await fetch(`${serviceUrl}/${container}?restype=container&${sasToken}`, { method: 'PUT' });
    if (response.status !== 201) throw new Error(`azurite: creating container ${container}: ${response.status} ${await response.text()}`);
  }
  return {
    serviceUrl,
    sasToken,
    cleanup: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
