import { Problems } from '../core/errors';
import { checkImage, versionFromTag } from '../core/image';

/** The release lines the construct renders for; they differ in how `cassandra.yaml` names the authenticator. */
const SUPPORTED = ['4.1', '5.0'];

/**
 * A Cassandra release line and the image that runs it. Use the constants (`V4_1`, `V5_0`) for
 * the official Docker Hub `cassandra` image pinned to a patch release, or `fromImage()` for your
 * own build of the official image (same entrypoint, same uid 999), pinned with a tag.
 */
export class CassandraVersion {
  /** Cassandra 4.1 (Java 11), official image pinned to 4.1.10. */
  public static readonly V4_1 = new CassandraVersion('cassandra:4.1.10', '4.1');
  /** Cassandra 5.0 (Java 17), official image pinned to 5.0.5. */
  public static readonly V5_0 = new CassandraVersion('cassandra:5.0.5', '5.0');

  /**
   * A custom image built from (or compatible with) the official image: same entrypoint,
   * `/etc/cassandra`, `nodetool` and `cqlsh` on the PATH, uid and gid 999.
   * @param image image reference with a version tag (digest welcome), never `latest`
   * @param majorVersion release line, `4.1` or `5.0`; @default read from the tag (`4.1.10-custom` is `4.1`)
   */
  public static fromImage(image: string, majorVersion?: string): CassandraVersion {
    return new CassandraVersion(image, majorVersion ?? versionFromTag(image, 2));
  }

  private constructor(
    /** Image reference. */
    public readonly image: string,
    /** Release line, e.g. `5.0`; empty when it could not be read from the tag (validation reports it). */
    public readonly majorVersion: string,
  ) {}

  /** The CQL port clients use. */
  public get cqlPort(): number {
    return 9042;
  }

  /**
   * Whether `authenticator` in `cassandra.yaml` is a parameterized class (a map with `class_name`),
   * as in 5.0; 4.1 takes a plain class name.
   * @internal
   */
  public get _parameterizedAuthenticator(): boolean {
    return this.majorVersion !== '4.1';
  }

  /** Records problems with the image and release line under `field`. @internal */
  public _validate(problems: Problems, field: string): void {
    problems.check(SUPPORTED.includes(this.majorVersion), `${field}.majorVersion`, this.majorVersion,
      this.majorVersion === '' ? 'could not be read from the image tag' : 'is not a supported Cassandra release line',
      'use CassandraVersion.V4_1, CassandraVersion.V5_0, or fromImage(image, "4.1" | "5.0")');
    checkImage(problems, `${field}.image`, this.image, CassandraVersion.V5_0.image);
  }
}

/** `4.1` from a tag such as `4.1.10` or `4.1.10-custom`; empty when the tag does not start with a release line. */
