import { Problems } from './errors';
import { checkObjectName } from './names';
import { checkQuantity } from './quantity';

/** A volume: its size and StorageClass. The same shape for data, WAL and backup volumes. */
export interface StorageProps {
  /**
   * Size, as a Kubernetes quantity such as `20Gi`. Grow it later where the StorageClass allows
   * volume expansion; it can never shrink.
   * @default depends on the construct and the volume; see the prop that takes it
   */
  readonly size?: string;
  /**
   * StorageClass of the claim. Pick one with `reclaimPolicy: Retain` for production data.
   * @default the cluster's default StorageClass
   */
  readonly storageClass?: string;
}

/** A validated volume. */
export interface ResolvedStorage {
  readonly size: string;
  readonly bytes: number;
  readonly storageClass?: string;
}

/** Defaults and limits of one volume prop. */
export interface StorageRules {
  /** Size used when none is given; without it the size is required. */
  readonly defaultSize?: string;
  /** Smallest size accepted, as a quantity, with the reason shown in the message. */
  readonly minimum?: { readonly size: string; readonly reason: string };
}

/** Validates a volume prop; returns it resolved, or undefined when a problem was recorded. */
export function checkStorage(problems: Problems, field: string, props: StorageProps | undefined, rules: StorageRules = {}): ResolvedStorage | undefined {
  if (props !== undefined && (typeof props !== 'object' || props === null)) {
    problems.add(field, props, 'is not a volume', 'give e.g. { size: "20Gi" }');
    return undefined;
  }
  const size = props?.size ?? rules.defaultSize;
  if (size === undefined) {
    problems.add(`${field}.size`, size, 'is required', 'give the size of the volume, e.g. "20Gi"');
    return undefined;
  }
  const bytes = checkQuantity(problems, `${field}.size`, size, rules.defaultSize ?? '20Gi', rules.minimum);
  const classOk = props?.storageClass === undefined || checkObjectName(problems, `${field}.storageClass`, props.storageClass, 'StorageClass');
  if (bytes === undefined || !classOk) return undefined;
  return { size, bytes, ...(props?.storageClass !== undefined ? { storageClass: props.storageClass } : {}) };
}
