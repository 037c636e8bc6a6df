/** A rack as the seed list sees it: its StatefulSet name and number of nodes. */
export interface SeedRack {
  readonly statefulSetName: string;
  readonly nodes: number;
}

/** How many seeds a datacenter gets from its own nodes. */
export const SEEDS_PER_DATACENTER = 3;

/**
 * The deterministic seed list of a datacenter: ordinal 0 of every rack, then ordinal 1 of racks
 * with at least two nodes while the datacenter has fewer than three seeds, as stable pod DNS names
 * through the headless Service (`<sts>-<ordinal>.<headless>.<namespace>.svc.<domain>`), followed
 * by `additional` seeds (other datacenters). Every node gets the same list, in the same order.
 */
export function seedList(racks: readonly SeedRack[], headlessService: string, namespace: string, clusterDomain: string, additional: readonly string[] = []): string[] {
  const pods: string[] = racks.filter(r => r.nodes >= 1).map(r => `${r.statefulSetName}-0`);
  for (const rack of racks) {
    if (pods.length >= SEEDS_PER_DATACENTER) break;
    if (rack.nodes >= 2) pods.push(`${rack.statefulSetName}-1`);
  }
  return [...pods.map(pod => `${pod}.${headlessService}.${namespace}.svc.${clusterDomain}`), ...additional];
}
