import { Construct } from 'constructs';
import { ConnectionInfo, DatabaseEngine, IDatabase } from '../../../lib/core/connection';
import { PodNetworkPolicy, NetworkPeer } from '../../../lib/core/network';
import { standardLabels, selectorLabels } from '../../../lib/core/labels';

/** The engine's name as a string: tests write 'postgresql' rather than DatabaseEngine.POSTGRESQL. */
export type EngineName = `${DatabaseEngine}`;

const DEFAULTS: Record<EngineName, Omit<ConnectionInfo, 'namespace'>> = {
  postgresql: {
    engine: DatabaseEngine.POSTGRESQL, host: 'orders-rw.shop.svc', readOnlyHost: 'orders-ro.shop.svc', port: 5432, database: 'orders', tls: true, majorVersion: '17',
    secret: { name: 'orders-app', usernameKey: 'username', passwordKey: 'password', extraKeys: { uri: 'uri' } },
  },
  mysql: {
    engine: DatabaseEngine.MYSQL, host: 'blog.shop.svc', port: 3306, database: 'blog', tls: false, majorVersion: '8.4',
    secret: { name: 'blog-app', usernameKey: 'username', passwordKey: 'password' },
  },
  cassandra: {
    engine: DatabaseEngine.CASSANDRA, host: 'events-dc1-service.shop.svc', port: 9042, tls: false, majorVersion: '5.0', datacenter: 'dc1',
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
  public readonly podSelector: { [key: string]: string };
  /** Every peer admitted, in order. */
  public readonly clients: NetworkPeer[] = [];
  private readonly policy: PodNetworkPolicy;

  constructor(scope: Construct, id: string, engine: EngineName | DatabaseEngine, overrides: Partial<ConnectionInfo> = {}, namespace = 'shop') {
    super(scope, id);
    this.connection = { ...DEFAULTS[engine], namespace, ...overrides } as ConnectionInfo;
    const labelProps = { name: engine, instance: id, component: 'database' };
    this.podSelector = selectorLabels(labelProps);
    this.policy = new PodNetworkPolicy(this, 'Policy', { name: id, namespace, podSelector: this.podSelector, labels: standardLabels(labelProps) });
  }

  public allowFrom(peer: NetworkPeer): void {
    this.clients.push(peer);
    this.policy.allowPeer(peer, [this.connection.port]);
  }
}
