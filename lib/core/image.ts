import { Problems } from './errors';

/** An image reference split into its parts. */
export interface ImageReference {
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** Splits `registry:5000/repo/name:tag@sha256:...` without confusing a registry port with a tag. */
export function parseImage(image: string): ImageReference {
  const [withoutDigest, digest] = image.split('@', 2);
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  if (colon > slash) {
    return { repository: withoutDigest.slice(0, colon), tag: withoutDigest.slice(colon + 1), digest };
  }
  return { repository: withoutDigest, digest };
}

/**
 * Validates an image reference: it must carry an explicit tag other than `latest`
 * (a digest may be added). `example` is a pinned image of the same kind, quoted in the fixes.
 * Returns the parsed reference when valid.
 */
export function checkImage(problems: Problems, field: string, image: unknown, example: string): ImageReference | undefined {
  const exampleTag = `":${parseImage(example).tag}"`;
  if (typeof image !== 'string' || image.trim() === '' || /\s/.test(image)) {
    problems.add(field, image, 'is not an image reference', `give an image with a version tag, e.g. "${example}"`);
    return undefined;
  }
  const ref = parseImage(image);
  if (!ref.tag) {
    problems.add(field, image, 'has no tag, so every pull may get a different version', `add a version tag, e.g. ${exampleTag}`);
    return undefined;
  }
  if (ref.tag === 'latest') {
    problems.add(field, image, 'uses the "latest" tag, which changes under a running database', `pin a version tag, e.g. ${exampleTag}`);
    return undefined;
  }
  if (ref.digest !== undefined && !/^sha256:[a-f0-9]{64}$/.test(ref.digest)) {
    problems.add(field, image, 'has a malformed digest', 'use "@sha256:" followed by 64 hex digits, or drop the digest');
    return undefined;
  }
  return ref;
}

/**
 * The version a tag starts with, in `parts` dot-separated numbers (`17.6-trixie` with 1 part is
 * `17`; `8.4.8` with 2 parts is `8.4`); empty when the tag does not start that way.
 */
export function versionFromTag(image: unknown, parts: 1 | 2): string {
  const tag = typeof image === 'string' ? parseImage(image).tag : undefined;
  const pattern = parts === 1 ? /^(\d+)(?:\D|$)/ : /^(\d+\.\d+)(?:\D|$)/;
  return pattern.exec(tag ?? '')?.[1] ?? '';
}
