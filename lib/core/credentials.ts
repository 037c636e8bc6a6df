import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { ExternalSecret, ExternalSecretSpecSecretStoreRefKind, ExternalSecretSpecTargetCreationPolicy, ExternalSecretSpecTargetDeletionPolicy } from '../../imports/eso-externalsecrets-external-secrets.io';
import { Problems } from './errors';
import { checkObjectName, isDns1123Label } from './names';

const SECRET_KEY = /^[-._a-zA-Z0-9]{1,253}$/;

/** A key in a Secret; the value never passes through this library. */
export interface SecretKeyReference {
  readonly secretName: string;
  readonly key: string;
}

/** Validates a reference to a key in a Secret; returns true when valid. */
export function checkSecretKeyReference(problems: Problems, field: string, ref: unknown): ref is SecretKeyReference {
  if (typeof ref !== 'object' || ref === null) {
    return problems.check(false, field, ref, 'is not a Secret key reference (values never pass through props)',
      'reference a key of an existing Secret, e.g. { secretName: "orders-db", key: "password" }');
  }
  const { secretName, key } = ref as SecretKeyReference;
  const nameOk = checkObjectName(problems, `${field}.secretName`, secretName, 'Secret');
  return checkSecretKey(problems, `${field}.key`, key) && nameOk;
}

/** Validates the name of a key in a Secret. */
export function checkSecretKey(problems: Problems, field: string, key: unknown): boolean {
  return problems.check(typeof key === 'string' && SECRET_KEY.test(key), field, key, 'is not a valid Secret key', 'use letters, digits, "-", "_" or "."');
}

/** The kind of store an ExternalSecret reads from. */
export enum SecretStoreKind {
  /** A SecretStore in the same namespace. */
  SECRET_STORE = 'SecretStore',
  /** A cluster-wide ClusterSecretStore. */
  CLUSTER_SECRET_STORE = 'ClusterSecretStore',
}

/** Where an ExternalSecret takes the credential from. */
export interface ExternalSecretSource {
  /** Name of the SecretStore or ClusterSecretStore. */
  readonly storeName: string;
  /** @default SecretStoreKind.CLUSTER_SECRET_STORE */
  readonly storeKind?: SecretStoreKind;
  /** Key of the entry in the external store, e.g. `prod/orders/db`. */
  readonly remoteKey: string;
  /** Property of the entry holding the username. @default 'username' */
  readonly usernameProperty?: string;
  /** Property of the entry holding the password. @default 'password' */
  readonly passwordProperty?: string;
  /** How often the operator re-reads the store. @default 1 hour */
  readonly refreshInterval?: Duration;
}

/** Keys of a credentials Secret. */
export interface SecretKeys {
  /** @default 'username' */
  readonly usernameKey?: string;
  /** @default 'password' */
  readonly passwordKey?: string;
}

/**
 * A username and password held in a Kubernetes Secret: one that exists already, or one that an
 * ExternalSecret (External Secrets Operator) creates from an external store. Props never take a
 * password value.
 */
export class Credentials {
  /** Credentials in an existing Secret. */
  public static fromSecret(secretName: string, keys: SecretKeys = {}): Credentials {
    return new Credentials(secretName, keys.usernameKey ?? 'username', keys.passwordKey ?? 'password');
  }

  /** Credentials that an ExternalSecret copies from an external store into the Secret `secretName`. */
  public static fromExternalSecret(secretName: string, source: ExternalSecretSource): Credentials {
    return new Credentials(secretName, 'username', 'password', source);
  }

  private constructor(
    public readonly secretName: string,
    public readonly usernameKey: string,
    public readonly passwordKey: string,
    public readonly external?: ExternalSecretSource,
  ) {}

  /** The username key as a reference. */
  public get username(): SecretKeyReference {
    return { secretName: this.secretName, key: this.usernameKey };
  }

  /** The password key as a reference. */
  public get password(): SecretKeyReference {
    return { secretName: this.secretName, key: this.passwordKey };
  }

  /** Records problems with the reference under `field`. @internal */
  public _validate(problems: Problems, field: string): void {
    checkObjectName(problems, `${field}.secretName`, this.secretName, 'Secret');
    checkSecretKey(problems, `${field}.usernameKey`, this.usernameKey);
    checkSecretKey(problems, `${field}.passwordKey`, this.passwordKey);
    if (this.external) {
      problems.check(isDns1123Label(this.external.storeName), `${field}.storeName`, this.external.storeName,
        'is not a valid SecretStore name', 'name the SecretStore or ClusterSecretStore that holds the credential');
      problems.check(typeof this.external.remoteKey === 'string' && this.external.remoteKey.length > 0, `${field}.remoteKey`,
        this.external.remoteKey, 'is empty', 'give the key of the entry in the external store');
    }
  }

  /**
   * Renders the ExternalSecret when the credentials come from an external store. Pass
   * `namespace` when the construct's namespace may differ from the chart's.
   * @internal
   */
  public _render(scope: Construct, id: string, labels: Record<string, string>, namespace?: string): void {
    const source = this.external;
    if (!source) return;
    new ExternalSecret(scope, id, {
      metadata: { name: this.secretName, labels, ...(namespace ? { namespace } : {}) },
      spec: {
        refreshInterval: `${(source.refreshInterval ?? Duration.hours(1)).toSeconds()}s`,
        secretStoreRef: {
          name: source.storeName,
          kind: source.storeKind === SecretStoreKind.SECRET_STORE ? ExternalSecretSpecSecretStoreRefKind.SECRET_STORE : ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE,
        },
        // Orphan: deleting the ExternalSecret leaves the Secret, so a running database keeps its credentials.
        // Retain: a value removed from the store does not empty the Secret.
        target: { name: this.secretName, creationPolicy: ExternalSecretSpecTargetCreationPolicy.ORPHAN, deletionPolicy: ExternalSecretSpecTargetDeletionPolicy.RETAIN },
        data: [
          { secretKey: this.usernameKey, remoteRef: { key: source.remoteKey, property: source.usernameProperty ?? 'username' } },
          { secretKey: this.passwordKey, remoteRef: { key: source.remoteKey, property: source.passwordProperty ?? 'password' } },
        ],
      },
    });
  }
}
