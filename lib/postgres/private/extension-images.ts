import { ClusterSpecPostgresqlExtensions } from '../../../imports/cnpg-clusters-postgresql.cnpg.io';
import { Problems } from '../../core/errors';
import { checkImage } from '../../core/image';
import { checkName } from '../../core/names';
import { ExtensionImageProps } from '../cluster-props';

/**
 * Validates extension images: PostgreSQL 18 reads extensions from extra directories
 * (`extension_control_path`), which CloudNativePG mounts from image volumes; older majors cannot.
 */
export function checkExtensionImages(problems: Problems, field: string, list: ExtensionImageProps[] | undefined, major: string): void {
  if (list === undefined) return;
  if (!problems.check(Array.isArray(list), field, list, 'is not a list of extension images', 'give e.g. [{ name: "pgvector", image: "ghcr.io/cloudnative-pg/pgvector:0.8.1-18-trixie" }]')) return;
  if (list.length === 0) return;
  problems.check(Number(major) >= 18, field, `PostgreSQL ${major}`, 'needs PostgreSQL 18 or later (extension_control_path)',
    'use PostgresVersion.V18 or later, or build an image with the extensions');
  const seen = new Set<string>();
  list.forEach((e, i) => {
    if (checkName(problems, `${field}[${i}].name`, e?.name)) {
      problems.check(!seen.has(e.name), `${field}[${i}].name`, e.name, 'is declared twice', 'declare each extension image once');
      seen.add(e.name);
    }
    checkImage(problems, `${field}[${i}].image`, e?.image, 'registry.example.com/pgvector-extension:0.8.1');
  });
}

/** `spec.postgresql.extensions`. */
export function renderExtensionImages(list: ExtensionImageProps[] | undefined): ClusterSpecPostgresqlExtensions[] | undefined {
  return list?.length ? list.map(e => ({ name: e.name, image: { reference: e.image } })) : undefined;
}
