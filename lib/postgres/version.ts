import { Problems } from '../core/errors';
import { checkImage, versionFromTag } from '../core/image';
import { checkChoice, checkObjectName } from '../core/names';
import { CNPG_POSTGRES_REPOSITORY, SUPPORTED_MAJORS } from './private/versions';

/** The kind of image catalog CloudNativePG reads an image from. */
export enum ImageCatalogKind {
  /** An ImageCatalog in the cluster's namespace. */
  IMAGE_CATALOG = 'ImageCatalog',
  /** A cluster-wide ClusterImageCatalog. */
  CLUSTER_IMAGE_CATALOG = 'ClusterImageCatalog',
}

/** An image catalog entry: CloudNativePG picks the image for the major from the catalog. */
export interface ImageCatalogReference {
  /** Name of the ImageCatalog (namespaced) or ClusterImageCatalog. */
  readonly name: string;
  /** @default ImageCatalogKind.IMAGE_CATALOG */
  readonly kind?: ImageCatalogKind;
}

/**
 * A PostgreSQL major version and where its image comes from: a pinned image (the tag starts with
 * the major, as CloudNativePG requires) or an image catalog entry.
 *
 * `PostgresVersion.V17` pins the image tag this library release was tested with; bump the library
 * (or use `fromImage`) to move to a newer minor.
 */
export class PostgresVersion {
  /** PostgreSQL 14 (community support ends November 2026). */
  public static readonly V14 = new PostgresVersion(14, `${CNPG_POSTGRES_REPOSITORY}:14.20`);
  /** PostgreSQL 15. */
  public static readonly V15 = new PostgresVersion(15, `${CNPG_POSTGRES_REPOSITORY}:15.15`);
  /** PostgreSQL 16. */
  public static readonly V16 = new PostgresVersion(16, `${CNPG_POSTGRES_REPOSITORY}:16.11`);
  /** PostgreSQL 17. */
  public static readonly V17 = new PostgresVersion(17, `${CNPG_POSTGRES_REPOSITORY}:17.7`);
  /** PostgreSQL 18, CloudNativePG 1.30's default major. */
  public static readonly V18 = new PostgresVersion(18, `${CNPG_POSTGRES_REPOSITORY}:18.1`);

  /** The default version for new clusters. */
  public static readonly DEFAULT = PostgresVersion.V18;

  /**
   * A custom image, e.g. `ghcr.io/cloudnative-pg/postgresql:17.6-standard-trixie` or a mirror. Its
   * tag must start with the major (CloudNativePG's own rule); a digest may follow the tag. Checked
   * when the cluster validates its props.
   * @param image the image, with a version tag
   * @param majorVersion the major, e.g. `17`; @default read from the tag
   */
  public static fromImage(image: string, majorVersion?: string): PostgresVersion {
    return new PostgresVersion(Number(majorVersion ?? (versionFromTag(image, 1) || NaN)), image);
  }

  /** The image for `major` from an ImageCatalog or ClusterImageCatalog. */
  public static fromImageCatalog(major: number, catalog: ImageCatalogReference): PostgresVersion {
    return new PostgresVersion(major, undefined, catalog);
  }

  /** The major version as a string, e.g. `17`. */
  public readonly majorVersion: string;

  private constructor(
    /** The major version, e.g. 17. */
    public readonly major: number,
    /** The pinned image, when not from a catalog. */
    public readonly image?: string,
    /** The image catalog, when the image comes from one. */
    public readonly catalog?: ImageCatalogReference,
  ) {
    this.majorVersion = String(major);
  }

  /** Records problems with this version under `field`. @internal */
  public _validate(problems: Problems, field: string): void {
    if (this.image !== undefined) {
      const ref = checkImage(problems, `${field}.image`, this.image, PostgresVersion.DEFAULT.image!);
      if (!ref) return;
      if (!Number.isInteger(this.major)) {
        problems.add(`${field}.image`, this.image, 'has a tag that does not start with the PostgreSQL major version (CloudNativePG reads the major from it)',
          `tag the image "<major>.<minor>", e.g. "${CNPG_POSTGRES_REPOSITORY}:17.6"`);
        return;
      }
      this.checkMajor(problems, field);
      problems.check(ref.tag !== undefined && new RegExp(`^${this.major}(\\D|$)`).test(ref.tag), `${field}.image`, this.image,
        `has a tag that does not start with the major version ${this.major}`, `tag the image "<major>.<minor>", e.g. "${CNPG_POSTGRES_REPOSITORY}:${this.major}.1"`);
    } else if (this.catalog !== undefined) {
      this.checkMajor(problems, field);
      checkObjectName(problems, `${field}.catalog.name`, this.catalog.name, 'ImageCatalog');
      if (this.catalog.kind !== undefined) checkChoice(problems, `${field}.catalog.kind`, this.catalog.kind, ImageCatalogKind);
    } else {
      problems.add(field, undefined, 'has neither an image nor an image catalog', 'use PostgresVersion.V17, fromImage(...) or fromImageCatalog(...)');
    }
  }

  private checkMajor(problems: Problems, field: string): void {
    problems.check(Number.isInteger(this.major) && SUPPORTED_MAJORS.includes(this.major), `${field}.major`, this.major,
      'is not a PostgreSQL major that CloudNativePG 1.30 supports', `use one of ${SUPPORTED_MAJORS.join(', ')}`);
  }
}
