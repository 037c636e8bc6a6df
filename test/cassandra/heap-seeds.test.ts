import { Testing } from 'cdk8s';
import { Problems } from '../../lib/core';
import { resolveHeap } from '../../lib/cassandra/private/heap';
import { seedList } from '../../lib/cassandra/private/seeds';

const GI = 2 ** 30;

function heap(memoryGi: number, cores: number, explicit?: { maxHeapSize: string; newSize?: string }) {
  const problems = new Problems(Testing.app(), 'test');
  const result = resolveHeap(problems, 'heap', memoryGi * GI, cores, explicit);
  let fields: string[] = [];
  try { problems.throwIfAny(); } catch (e: any) { fields = e.fields; }
  return { result, fields };
}

describe('heap from the memory limit', () => {
  test.each([
    [2, 1, '1024M', '100M'],
    [4, 1, '2048M', '100M'],
    [8, 2, '4096M', '200M'],
    [16, 0.5, '8192M', '100M'],
    [32, 16, '16384M', '1600M'],
    [64, 8, '31744M', '800M'],
    [1.5, 4, '768M', '192M'],
  ])('%s GiB, %s cores: MAX_HEAP_SIZE %s, HEAP_NEWSIZE %s', (memory, cores, max, young) => {
    const { result, fields } = heap(memory, cores);
    expect(fields).toEqual([]);
    expect([result!.maxHeapSize, result!.newSize]).toEqual([max, young]);
  });

  test('explicit heap: at most the limit minus a quarter (at least 512 MiB) of off-heap headroom', () => {
    expect(heap(8, 2, { maxHeapSize: '6Gi' }).result!.maxHeapSize).toBe('6144M');
    expect(heap(8, 2, { maxHeapSize: '6145Mi' }).fields).toEqual(['heap.maxHeapSize']);
    expect(heap(2, 2, { maxHeapSize: '1536Mi' }).result!.maxHeapSize).toBe('1536M');
    expect(heap(2, 2, { maxHeapSize: '1537Mi' }).fields).toEqual(['heap.maxHeapSize']);
    expect(heap(64, 2, { maxHeapSize: '32Gi' }).fields).toEqual(['heap.maxHeapSize']);
    expect(heap(8, 2, { maxHeapSize: '4Gi', newSize: '4Gi' }).fields).toEqual(['heap.newSize']);
    expect(heap(8, 2, { maxHeapSize: 'lots' }).fields).toEqual(['heap.maxHeapSize']);
  });

  test('too little memory for a heap', () => {
    expect(heap(0.75, 1).fields).toEqual(['resources.memory']);
  });
});

describe('seed list', () => {
  const racks = (n: number, nodes: number) => Array.from({ length: n }, (_, i) => ({ statefulSetName: `dc-r${i + 1}`, nodes }));
  const short = (seeds: string[]) => seeds.map(s => s.split('.')[0]);

  test.each([
    [1, 1, ['dc-r1-0']],
    [1, 3, ['dc-r1-0', 'dc-r1-1']],
    [2, 1, ['dc-r1-0', 'dc-r2-0']],
    [2, 2, ['dc-r1-0', 'dc-r2-0', 'dc-r1-1']],
    [3, 2, ['dc-r1-0', 'dc-r2-0', 'dc-r3-0']],
    [5, 4, ['dc-r1-0', 'dc-r2-0', 'dc-r3-0', 'dc-r4-0', 'dc-r5-0']],
  ])('%s racks of %s nodes', (n, nodes, expected) => {
    expect(short(seedList(racks(n, nodes), 'dc-headless', 'ns', 'cluster.local'))).toEqual(expected);
  });

  test('stable DNS names through the headless Service, then additional seeds', () => {
    expect(seedList(racks(1, 1), 'dc-headless', 'ns', 'example.internal', ['other-0.other-headless.ns2.svc.example.internal'])).toEqual([
      'dc-r1-0.dc-headless.ns.svc.example.internal', 'other-0.other-headless.ns2.svc.example.internal']);
  });
});
