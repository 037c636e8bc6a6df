import { Problems } from '../core/errors';
import { checkImage } from '../core/image';

/**
 * A Cassandra release line and the image that runs it. Use the constants (`V4_1`, `V5_0`) for
 * the official Docker Hub `cassandra` image pinned to a patch release, or `custom()` for your own
 * build of the official image (same entrypoint, same uid 999), pinned with a tag.
 */
export class CassandraVersion {
  /** Cassandra 4.1 (Java 11), official image pinned to 4.1.10. */
  public static readonly V4_1 = new CassandraVersion('4.1', 'cassandra:4.1.10');
  /** Cassandra 5.0 (Java 17), official image pinned to 5.0.5. */
  public static readonly V5_0 = new CassandraVersion('5.0', 'cassandra:5.0.5');

  /**
   * A custom image built from (or compatible with) the official image: same entrypoint,
   * `/etc/cassandra`, `nodetool` and `cqlsh` on the PATH, uid and gid 999.
   * @param majorVersion release line, `4.1` or `5.0`
   * @param image image reference with a version tag (digest welcome), never `latest`
   */
  public static custom(majorVersion: '4.1' | '5.0', image: string): CassandraVersion {
    return new CassandraVersion(majorVersion, image);
  }

  private constructor(
    /** Release line, e.g. `5.0`. */
    public readonly majorVersion: string,
    /** Image reference. */
    public readonly image: string,
  ) {}

  /**
   * Whether `authenticator` in `cassandra.yaml` is a parameterized class (a map with `class_name`),
   * as in 5.0; 4.1 takes a plain class name.
   */
  public get parameterizedAuthenticator(): boolean {
    return this.majorVersion !== '4.1';
  }

  /** The CQL port clients use. */
  public get cqlPort(): number {
    return 9042;
  }

  /** Records problems with the image under `field`. */
  public validate(problems: Problems, field: string): void {
    problems.check(this.majorVersion === '4.1' || this.majorVersion === '5.0', `${field}.majorVersion`, this.majorVersion,
      'is not a supported Cassandra release line', 'use CassandraVersion.V4_1, CassandraVersion.V5_0 or custom("4.1" | "5.0", image)');
    checkImage(problems, `${field}.image`, this.image);
  }
}
