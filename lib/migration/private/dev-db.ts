import { ConnectionInfo, DatabaseEngine } from '../../core/connection';

/** The dev database Atlas uses for diffing: a pod spec and the URL template the operator fills in. */
export interface DevDatabase {
  readonly url: string;
  readonly spec: any;
}

/**
 * A throwaway dev database pinned to the target's version (the operator's own default is
 * `postgres:latest` / `mysql:latest`). It holds no data, listens only inside its pod's network
 * and uses trust / empty-password authentication, so no credential appears in the manifest; the
 * Atlas Operator replaces `localhost` in the URL with the pod's IP.
 */
export function devDatabase(connection: ConnectionInfo, image: string): DevDatabase {
  const common = {
    runAsNonRoot: true,
    runAsUser: 999,
    runAsGroup: 999,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
  // Quantities as the imported CRD classes expect them (their int-or-string classes render `.value`),
  // the same for AtlasSchema's and AtlasMigration's generated types.
  const q = (value: string) => ({ value });
  const resources = { requests: { cpu: q('100m'), memory: q('512Mi') }, limits: { memory: q('512Mi') } };
  if (connection.engine === DatabaseEngine.POSTGRESQL) {
    return {
      url: 'postgres://postgres@localhost:5432/postgres?sslmode=disable',
      spec: {
        automountServiceAccountToken: false,
        securityContext: { runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [{
          name: 'postgres',
          image,
          imagePullPolicy: 'IfNotPresent',
          env: [
            { name: 'POSTGRES_HOST_AUTH_METHOD', value: 'trust' },
            { name: 'PGDATA', value: '/var/lib/postgresql/dev' },
          ],
          ports: [{ name: 'postgres', containerPort: 5432 }],
          startupProbe: { exec: { command: ['pg_isready', '-h', '127.0.0.1', '-U', 'postgres'] }, periodSeconds: 5, failureThreshold: 60 },
          readinessProbe: { exec: { command: ['pg_isready', '-h', '127.0.0.1', '-U', 'postgres'] }, periodSeconds: 10 },
          securityContext: common,
          resources,
          volumeMounts: [
            { name: 'data', mountPath: '/var/lib/postgresql' },
            { name: 'run', mountPath: '/var/run/postgresql' },
            { name: 'tmp', mountPath: '/tmp' },
          ],
        }],
        volumes: [{ name: 'data', emptyDir: {} }, { name: 'run', emptyDir: {} }, { name: 'tmp', emptyDir: {} }],
      },
    };
  }
  // MySQL: a target URL with a database is schema-bound, so the dev database gets one too.
  const schemaBound = connection.database !== undefined;
  return {
    url: `mysql://root@localhost:3306/${schemaBound ? 'dev' : ''}`,
    spec: {
      automountServiceAccountToken: false,
      securityContext: { runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{
        name: 'mysql',
        image,
        imagePullPolicy: 'IfNotPresent',
        env: [
          { name: 'MYSQL_ALLOW_EMPTY_PASSWORD', value: 'yes' },
          ...(schemaBound ? [{ name: 'MYSQL_DATABASE', value: 'dev' }] : []),
        ],
        ports: [{ name: 'mysql', containerPort: 3306 }],
        startupProbe: { exec: { command: ['mysqladmin', 'ping', '-h', '127.0.0.1', '-uroot'] }, periodSeconds: 5, failureThreshold: 60 },
        readinessProbe: { exec: { command: ['mysqladmin', 'ping', '-h', '127.0.0.1', '-uroot'] }, periodSeconds: 10 },
        securityContext: common,
        resources,
        volumeMounts: [
          { name: 'data', mountPath: '/var/lib/mysql' },
          { name: 'run', mountPath: '/var/run/mysqld' },
          { name: 'files', mountPath: '/var/lib/mysql-files' },
          { name: 'tmp', mountPath: '/tmp' },
        ],
      }],
      volumes: [{ name: 'data', emptyDir: {} }, { name: 'run', emptyDir: {} }, { name: 'files', emptyDir: {} }, { name: 'tmp', emptyDir: {} }],
    },
  };
}
