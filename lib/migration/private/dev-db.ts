import { ConnectionInfo, DatabaseEngine } from '../../core/connection';

/** The dev database Atlas uses for diffing: a pod spec and the URL template the operator fills in. */
export interface DevDatabase {
  readonly url: string;
  readonly spec: any;
}

/** What differs between the PostgreSQL and the MySQL dev database. */
interface DevContainer {
  readonly name: string;
  readonly env: Array<{ name: string; value: string }>;
  readonly port: number;
  /** Readiness command, also the startup probe. */
  readonly ready: string[];
  /** Writable directories (emptyDirs), by volume name. */
  readonly mounts: Array<[string, string]>;
}

/**
 * A throwaway dev database pinned to the target's version (the operator's own default is
 * `postgres:latest` / `mysql:latest`). It holds no data, listens only inside its pod's network
 * and uses trust / empty-password authentication, so no credential appears in the manifest; the
 * Atlas Operator replaces `localhost` in the URL with the pod's IP.
 */
export function devDatabase(connection: ConnectionInfo, image: string): DevDatabase {
  if (connection.engine === DatabaseEngine.POSTGRESQL) {
    return {
      url: 'postgres://postgres@localhost:5432/postgres?sslmode=disable',
      spec: devPod(image, {
        name: 'postgres',
        env: [
          { name: 'POSTGRES_HOST_AUTH_METHOD', value: 'trust' },
          { name: 'PGDATA', value: '/var/lib/postgresql/dev' },
        ],
        port: 5432,
        ready: ['pg_isready', '-h', '127.0.0.1', '-U', 'postgres'],
        mounts: [['data', '/var/lib/postgresql'], ['run', '/var/run/postgresql'], ['tmp', '/tmp']],
      }),
    };
  }
  // MySQL: a target URL with a database is schema-bound, so the dev database gets one too.
  const schemaBound = connection.database !== undefined;
  return {
    url: `mysql://root@localhost:3306/${schemaBound ? 'dev' : ''}`,
    spec: devPod(image, {
      name: 'mysql',
      env: [
        { name: 'MYSQL_ALLOW_EMPTY_PASSWORD', value: 'yes' },
        ...(schemaBound ? [{ name: 'MYSQL_DATABASE', value: 'dev' }] : []),
      ],
      port: 3306,
      ready: ['mysqladmin', 'ping', '-h', '127.0.0.1', '-uroot'],
      mounts: [['data', '/var/lib/mysql'], ['run', '/var/run/mysqld'], ['files', '/var/lib/mysql-files'], ['tmp', '/tmp']],
    }),
  };
}

/** A hardened one-container pod (uid 999 of the official images, read-only root with emptyDirs). */
function devPod(image: string, c: DevContainer): any {
  // Quantities as the imported CRD classes expect them (their int-or-string classes render `.value`),
  // the same for AtlasSchema's and AtlasMigration's generated types.
  const q = (value: string) => ({ value });
  return {
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [{
      name: c.name,
      image,
      imagePullPolicy: 'IfNotPresent',
      env: c.env,
      ports: [{ name: c.name, containerPort: c.port }],
      startupProbe: { exec: { command: c.ready }, periodSeconds: 5, failureThreshold: 60 },
      readinessProbe: { exec: { command: c.ready }, periodSeconds: 10 },
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 999,
        runAsGroup: 999,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      },
      resources: { requests: { cpu: q('100m'), memory: q('512Mi') }, limits: { memory: q('512Mi') } },
      volumeMounts: c.mounts.map(([name, mountPath]) => ({ name, mountPath })),
    }],
    volumes: c.mounts.map(([name]) => ({ name, emptyDir: {} })),
  };
}
