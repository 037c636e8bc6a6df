import { Problems } from '../../core/errors';
import { parseQuantity } from '../../core/quantity';
import { CassandraHeapProps } from '../node';

const MI = 2 ** 20;
/** Above about 31 GiB the JVM loses compressed object pointers: a bigger heap holds less. */
export const MAX_COMPRESSED_OOPS_HEAP_MIB = 31 * 1024;
/** The smallest heap Cassandra runs with in practice. */
export const MIN_HEAP_MIB = 512;

/** The heap settings as the official image's `cassandra-env.sh` reads them. */
export interface HeapSettings {
  /** e.g. `2048M`. */
  readonly maxHeapSize: string;
  /** e.g. `200M`. */
  readonly newSize: string;
  readonly maxHeapMiB: number;
  readonly newSizeMiB: number;
}

/**
 * Off-heap memory Cassandra needs beside the heap (memtables off-heap, bloom filters, index
 * summaries, compression metadata, direct buffers, thread stacks, `nodetool` probes): a quarter of
 * the limit, at least 512 MiB.
 */
export function offHeapHeadroomMiB(memoryLimitMiB: number): number {
  return Math.max(512, Math.floor(memoryLimitMiB / 4));
}

function defaultNewSizeMiB(heapMiB: number, cpuCores: number): number {
  return Math.max(32, Math.min(100 * Math.max(1, Math.ceil(cpuCores)), Math.floor(heapMiB / 4)));
}

/**
 * Derives `MAX_HEAP_SIZE` and `HEAP_NEWSIZE` from the container's memory limit (half of it, at most
 * 31 GiB) and CPU request, or validates explicit values against the limit. Cassandra's own
 * `cassandra-env.sh` would otherwise size the heap from the host's RAM, not the container's limit,
 * and the pod would be OOM-killed. Both variables are always set together (the script refuses one alone).
 */
export function resolveHeap(problems: Problems, field: string, memoryLimitBytes: number | undefined, cpuCores: number | undefined, explicit?: CassandraHeapProps): HeapSettings | undefined {
  if (memoryLimitBytes === undefined) return undefined;
  const limitMiB = Math.floor(memoryLimitBytes / MI);
  const cores = cpuCores ?? 1;
  if (explicit === undefined) {
    const heapMiB = Math.min(Math.floor(limitMiB / 2), MAX_COMPRESSED_OOPS_HEAP_MIB);
    if (!problems.check(heapMiB >= MIN_HEAP_MIB, 'resources.memory', `${limitMiB}Mi`,
      `leaves a heap of ${heapMiB} MiB; Cassandra needs at least ${MIN_HEAP_MIB} MiB of heap plus off-heap memory`,
      'give at least "2Gi" (4Gi or more for real workloads)')) return undefined;
    const newMiB = defaultNewSizeMiB(heapMiB, cores);
    return { maxHeapSize: `${heapMiB}M`, newSize: `${newMiB}M`, maxHeapMiB: heapMiB, newSizeMiB: newMiB };
  }
  const maxBytes = parseQuantity(explicit.maxHeapSize);
  if (!problems.check(maxBytes !== undefined && maxBytes > 0, `${field}.maxHeapSize`, explicit.maxHeapSize, 'is not a positive Kubernetes quantity', 'use e.g. "4Gi" or "3072Mi"')) return undefined;
  const heapMiB = Math.floor(maxBytes! / MI);
  const headroom = offHeapHeadroomMiB(limitMiB);
  let ok = problems.check(heapMiB >= MIN_HEAP_MIB, `${field}.maxHeapSize`, explicit.maxHeapSize, `is below ${MIN_HEAP_MIB} MiB`, `give at least "${MIN_HEAP_MIB}Mi"`);
  ok = problems.check(heapMiB + headroom <= limitMiB, `${field}.maxHeapSize`, explicit.maxHeapSize,
    `leaves ${limitMiB - heapMiB} MiB of the ${limitMiB} MiB memory limit for off-heap memory; Cassandra needs at least ${headroom} MiB there or the pod is OOM-killed`,
    `lower the heap to at most ${limitMiB - headroom}Mi or raise resources.memory`) && ok;
  ok = problems.check(heapMiB <= MAX_COMPRESSED_OOPS_HEAP_MIB, `${field}.maxHeapSize`, explicit.maxHeapSize,
    'is above 31 GiB, where the JVM loses compressed object pointers', 'use at most "31Gi"') && ok;
  let newMiB = defaultNewSizeMiB(heapMiB, cores);
  if (explicit.newSize !== undefined) {
    const newBytes = parseQuantity(explicit.newSize);
    if (problems.check(newBytes !== undefined && newBytes >= MI, `${field}.newSize`, explicit.newSize, 'is not a quantity of at least 1Mi', 'use e.g. "400Mi"')) {
      newMiB = Math.floor(newBytes! / MI);
      ok = problems.check(newMiB < heapMiB, `${field}.newSize`, explicit.newSize, 'is not smaller than maxHeapSize', 'use about a quarter of the heap or 100Mi per core, whichever is smaller') && ok;
    } else {
      ok = false;
    }
  }
  return ok ? { maxHeapSize: `${heapMiB}M`, newSize: `${newMiB}M`, maxHeapMiB: heapMiB, newSizeMiB: newMiB } : undefined;
}
