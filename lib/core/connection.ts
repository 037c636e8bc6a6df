import { IConstruct } from 'constructs';
import { NetworkPeer } from './network';

/** The database engines the library knows. */
export enum DatabaseEngine {
  POSTGRESQL = 'postgresql',
  MYSQL = 'mysql',
  CASSANDRA = 'cassandra',
}

/** A Secret and the keys in it that hold a client's credentials. */
export interface CredentialsSecret {
  readonly name: string;
  readonly usernameKey: string;
  readonly passwordKey: string;
  /** Further keys the Secret holds (e.g. CloudNativePG's `uri`, `jdbc-uri`). */
  readonly extraKeys?: { [key: string]: string };
}

/**
 * How a client reaches a database: everything a migration or an application needs, and nothing
 * secret (credentials stay in the Secret it names).
 */
export interface ConnectionInfo {
  readonly engine: DatabaseEngine;
  /** Namespace of the database and its Secret. */
  readonly namespace: string;
  /** Read-write host: the Service's DNS name, `<service>.<namespace>.svc`. */
  readonly host: string;
  /** Read-only host, where the database offers one. */
  readonly readOnlyHost?: string;
  /** Host reaching any instance, where the database offers one. */
  readonly anyHost?: string;
  readonly port: number;
  /** Application database (keyspace for Cassandra, when declared). */
  readonly database?: string;
  /** Credentials of the application user: what an application or a migration logs in with. */
  readonly secret?: CredentialsSecret;
  /**
   * Credentials of the administrative user (PostgreSQL `postgres` when superuser access is on,
   * the Cassandra superuser), where the construct knows them.
   * @default none
   */
  readonly adminSecret?: CredentialsSecret;
  /** Whether the server requires TLS. */
  readonly tls: boolean;
  /** Major version of the server, e.g. `17` or `8.4`; migrations pin their tools to it. */
  readonly majorVersion: string;
  /** Cassandra: contact points (stable pod or Service DNS names). */
  readonly contactPoints?: string[];
  /** Cassandra: the datacenter name, for keyspace replication and drivers' local DC. */
  readonly datacenter?: string;
}

/** A database construct: its connection info and the relationships clients need. */
export interface IDatabase extends IConstruct {
  readonly connection: ConnectionInfo;
  /** Pod labels selecting the database's pods. */
  readonly podSelector: { [key: string]: string };
  /** Opens the client port to `peer` through the database's NetworkPolicy. */
  allowFrom(peer: NetworkPeer): void;
}
