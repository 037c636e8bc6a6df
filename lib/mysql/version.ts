import { Problems } from '../core/errors';
import { checkImage, versionFromTag } from '../core/image';

/**
 * A MySQL server version: the image to run and the major version clients and tools pin to.
 *
 * The built-in versions pin a patch release of the official `mysql` image (the Oracle Linux
 * variant, which runs as uid/gid 999 and ships `mysqldump` and `gzip`, which the backup job uses).
 * Raising the patch release is an in-place upgrade; moving from 8.0 to 8.4 is a major upgrade
 * that MySQL supports in place as well, but take a backup first. Downgrades are not supported.
 */
export class MySqlVersion {
  /** MySQL 8.0 (end of life April 2026; move to 8.4 LTS). */
  public static readonly V8_0 = new MySqlVersion('mysql:8.0.45', '8.0');
  /** MySQL 8.4 LTS, the default. */
  public static readonly V8_4 = new MySqlVersion('mysql:8.4.8', '8.4');

  /**
   * A custom image, e.g. a mirror in a private registry. It must carry a version tag (not
   * `latest`); a digest may follow. The image must behave like the official one: the same
   * entrypoint, `*_FILE` variables, uid 999, `/etc/mysql/conf.d` and `mysqldump`.
   *
   * @param image the image reference, e.g. `registry.example.com/mysql:8.4.8`
   * @param majorVersion the major version, e.g. `8.4` @default read from the tag (`8.4.8` → `8.4`)
   */
  public static fromImage(image: string, majorVersion?: string): MySqlVersion {
    return new MySqlVersion(image, majorVersion ?? versionFromTag(image, 2));
  }

  private constructor(
    /** The image reference. */
    public readonly image: string,
    /** Major version, e.g. `8.4`; empty when it cannot be read from a custom image's tag. */
    public readonly majorVersion: string,
  ) {}

  /**
   * Records problems with the image under `field`.
   * @internal
   */
  public _validate(problems: Problems, field: string): void {
    if (checkImage(problems, field, this.image, 'mysql:8.4.6') === undefined) return;
    problems.check(/^[0-9]+\.[0-9]+$/.test(this.majorVersion), field, this.image,
      'does not say which major version it runs', 'use a tag that starts with the version (e.g. ":8.4.8-custom"), or pass the major version: MySqlVersion.fromImage(image, "8.4")');
  }
}
