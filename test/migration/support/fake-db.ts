import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { ConnectionInfo, DatabaseEngine, IDatabase } from '../../../lib/core/connection';
import { IngressPolicy, NetworkClient, toNetworkPolicyPeer } from '../../../lib/core/network';
import { standardLabels, selectorLabels } from '../../../lib/core/labels';

const DEFAULTS: Record<DatabaseEngine, Omit<ConnectionInfo, 'namespace'>> = {
  postgresql: {
    engine: 'postgresql', host: 'orders-rw.shop.svc', readOnlyHost: 'orders-ro.shop.svc', port: 5432, database: 'orders', tls: true, majorVersion: '17',
    secret: { name: 'orders-app', usernameKey: 'username', passwordKey: 'password', extraKeys: { uri: 'uri' } },
  },
  mysql: {
    engine: 'mysql', host: 'blog.shop.svc', port: 3306, database: 'blog', tls: false, majorVersion: '8.4',
    secret: { name: 'blog-app', usernameKey: 'username', passwordKey: 'password' },
  },
  cassandra: {
    engine: 'cassandra', host: 'events-dc1-service.shop.svc', port: 9042, tls: false, majorVersion: '5.0', datacenter: 'dc1',
    contactPoints: ['events-dc1-rack1-0.events-dc1-seeds.shop.svc'],
    secret: { name: 'events-cassandra', usernameKey: 'username', passwordKey: 'password' },
  },
};

/**
 * A small IDatabase for tests: connection info as a real construct would give, and a real
 * NetworkPolicy so `allowFrom` is exercised.
 */
export class FakeDatabase extends Construct implements IDatabase {
  public readonly connection: ConnectionInfo;
  public readonly podSelector: Record<string, string>;
  public readonly clients: NetworkClient[] = [];
  private readonly policy: IngressPolicy;

  constructor(scope: Construct, id: string, engine: DatabaseEngine, overrides: Partial<ConnectionInfo> = {}, namespace = 'shop') {
    super(scope, id);
    this.connection = { ...DEFAULTS[engine], namespace, ...overrides } as ConnectionInfo;
    const labelProps = { name: engine, instance: id, component: 'database' };
    this.podSelector = selectorLabels(labelProps);
    this.policy = new IngressPolicy(this, 'Policy', { name: id, namespace, podSelector: this.podSelector, labels: standardLabels(labelProps) });
    // Something for the policy to select, so the chart is realistic (a pod-less policy is fine for verify too).
    void k8s;
  }

  public allowFrom(client: NetworkClient): void {
    this.clients.push(client);
    this.policy.allow([() => toNetworkPolicyPeer(client, this.connection.namespace)], [this.connection.port]);
  }
}
