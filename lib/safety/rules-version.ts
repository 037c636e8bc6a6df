import { parseImage } from '../core/image';
import { RawFinding, RuleGroup, field, onHead, show } from './rule';
import { CNPG_GROUP, Manifest, containersOf, holdsData, isKind } from './identity';

/** A `major.minor.patch` version read from an image tag; minor/patch are 0 when absent. */
export interface TagVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** How many numeric parts the tag had (1 for `16-bookworm`, 3 for `8.4.6`). */
  readonly parts: number;
}

/** Reads the leading version of an image tag (`17.2-bookworm` → 17.2.0), or undefined. */
export function tagVersion(tag: string | undefined): TagVersion | undefined {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(tag ?? '');
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2] ?? 0), patch: Number(m[3] ?? 0), parts: m[3] ? 3 : m[2] ? 2 : 1 };
}

const DISTROS = /(?:^|[-_.])(buster|bullseye|bookworm|trixie|forky|focal|jammy|noble|alpine|ubi\d*|oraclelinux\d*)(?:$|[-_.])/;

/** The operating-system distribution named in an image tag (`18.1-minimal-trixie` → trixie). */
export function tagDistribution(tag: string | undefined): string | undefined {
  return DISTROS.exec(tag ?? '')?.[1];
}

const series = (v: TagVersion): number => v.major * 1000 + v.minor;
const showSeries = (v: TagVersion): string => `${v.major}.${v.minor}`;

/** MySQL LTS (and the 8.0 bugfix) series, oldest first; innovation releases sit between them. */
export const MYSQL_LTS = ['5.7', '8.0', '8.4', '9.7'].map(s => tagVersion(s)!);

/**
 * Whether MySQL supports an in-place upgrade from one series to another (MySQL 8.4/9.x
 * reference manual, "Upgrade Paths"): within a series; to the next LTS; to an innovation release
 * before the next LTS. Skipping an LTS (8.0 → 9.x, 5.7 → 8.4) is not supported.
 */
export function mysqlUpgradeSupported(from: TagVersion, to: TagVersion): boolean {
  if (series(to) <= series(from)) return true;
  const nextLts = MYSQL_LTS.find(l => series(l) > series(from));
  if (!nextLts) return to.major === from.major;
  return series(to) <= series(nextLts);
}

type Engine = 'mysql' | 'mariadb' | 'cassandra' | 'postgres';

function engineOf(image: string): Engine | undefined {
  const repo = parseImage(image).repository;
  const last = repo.slice(repo.lastIndexOf('/') + 1);
  if (['mysql', 'mysql-server', 'percona-server'].includes(last)) return 'mysql';
  if (last === 'mariadb') return 'mariadb';
  if (last === 'cassandra') return 'cassandra';
  if (last === 'postgres' || last === 'postgresql') return 'postgres';
  return undefined;
}

const DOWNGRADE_WHY = 'Databases upgrade their data files and system tables when a newer version starts; an older server cannot read them (MySQL refuses to start on a newer data dictionary, PostgreSQL on another major\'s data directory, Cassandra on newer SSTable and commit log formats).';
const DOWNGRADE_SAFELY = 'Keep the version. If a downgrade is really needed, restore a logical backup (dump) taken before the upgrade into a new database on the old version.';

function downgrade(obj: Manifest, what: string): RawFinding {
  return { id: 'major-downgrade', severity: 'blocking', obj, change: what, why: DOWNGRADE_WHY, safely: DOWNGRADE_SAFELY, ackOn: onHead(obj) };
}

function containerVersions(out: RawFinding[], base: Manifest, head: Manifest): void {
  const baseContainers = new Map(containersOf(base).map(c => [c.name, c]));
  for (const hc of containersOf(head)) {
    const bc = baseContainers.get(hc.name);
    if (!bc || typeof bc.image !== 'string' || typeof hc.image !== 'string' || bc.image === hc.image) continue;
    const engine = engineOf(hc.image);
    if (!engine || engineOf(bc.image) !== engine) continue;
    const from = tagVersion(parseImage(bc.image).tag); const to = tagVersion(parseImage(hc.image).tag);
    if (!from || !to) continue;
    const what = `container ${hc.name}: ${bc.image} → ${hc.image}`;
    const majorOnly = engine === 'postgres';
    const cmp = majorOnly ? to.major - from.major : series(to) - series(from);
    if (cmp < 0) { out.push(downgrade(head, `${what} (${majorOnly ? from.major : showSeries(from)} → ${majorOnly ? to.major : showSeries(to)})`)); continue; }
    if (cmp === 0) {
      const patchDown = to.parts >= 3 && from.parts >= 3 && to.patch < from.patch;
      const lts = MYSQL_LTS.some(l => series(l) === series(from));
      if (patchDown && engine === 'mysql' && !lts) out.push(downgrade(head, `${what} (innovation series ${showSeries(from)}: no downgrade within it)`));
      else if (patchDown) {
        out.push({ id: 'patch-downgrade', severity: 'note', obj: head, change: what, why: 'Downgrades within a long-term-support series keep the data format; they are supported but rarely tested.', safely: 'Take a backup first.', ackOn: onHead(head) });
      }
      continue;
    }
    let tooFar: string | undefined;
    if (engine === 'mysql' && !mysqlUpgradeSupported(from, to)) {
      const nextLts = MYSQL_LTS.find(l => series(l) > series(from));
      tooFar = `MySQL cannot upgrade ${showSeries(from)} to ${showSeries(to)} in place: it supports upgrades within a series, to the next LTS series or to an innovation release before it${nextLts ? ` (here: up to ${showSeries(nextLts)})` : ''}.`;
    } else if (engine === 'postgres') {
      tooFar = `The postgres image does not run pg_upgrade: a ${to.major} server refuses the data directory of PostgreSQL ${from.major}.`;
    } else if ((engine === 'cassandra' || engine === 'mariadb') && to.major - from.major > 1) {
      tooFar = `${engine === 'cassandra' ? 'Cassandra' : 'MariaDB'} supports upgrades from the previous major version only.`;
    }
    if (tooFar) {
      out.push({
        id: 'major-upgrade-too-far', severity: 'blocking', obj: head, change: what, why: tooFar,
        safely: engine === 'mysql'
          ? 'Upgrade one supported step per change (for example 8.0 → 8.4 LTS, let it run and take a backup, then 8.4 → 9.x), or dump and load into a new server.'
          : 'Upgrade one supported step at a time, or dump and restore into a new database on the new version.',
        ackOn: onHead(head),
      });
    } else {
      out.push({
        id: 'major-upgrade', severity: 'note', obj: head, change: what,
        why: 'The server upgrades its data files when it starts on the new version; there is no way back except restoring a backup.',
        safely: 'Take and verify a backup right before the rollout; read the release notes for removed features.',
        ackOn: onHead(head),
      });
    }
  }
}

function pgMajor(cluster: Manifest): { major?: number; distro?: string; image?: string } {
  const image = cluster.spec?.imageName;
  if (typeof image === 'string') {
    const tag = parseImage(image).tag;
    return { major: tagVersion(tag)?.major, distro: tagDistribution(tag), image };
  }
  const catalogMajor = field(cluster, 'spec.imageCatalogRef.major');
  return { major: typeof catalogMajor === 'number' ? catalogMajor : undefined, image: catalogMajor !== undefined ? `catalog ${field(cluster, 'spec.imageCatalogRef.name')} major ${catalogMajor}` : undefined };
}

function serverNames(cluster: Manifest): string[] {
  return (cluster.spec?.plugins ?? [])
    .filter((p: Manifest) => p.isWALArchiver === true || p.name === 'barman-cloud.cloudnative-pg.io')
    .map((p: Manifest) => String(p.parameters?.serverName ?? cluster.metadata?.name));
}

function postgresVersions(out: RawFinding[], base: Manifest, head: Manifest): void {
  const from = pgMajor(base); const to = pgMajor(head);
  if (from.major === undefined || to.major === undefined || from.major === to.major) return;
  const what = `PostgreSQL ${from.major} → ${to.major} (${show(from.image)} → ${show(to.image)})`;
  if (to.major < from.major) { out.push(downgrade(head, what)); return; }
  if (from.distro && to.distro && from.distro !== to.distro) {
    out.push({
      id: 'major-upgrade-too-far', severity: 'blocking', obj: head, change: `${what}; OS distribution ${from.distro} → ${to.distro}`,
      why: 'CloudNativePG\'s in-place major upgrade (pg_upgrade) only works between images of the same operating-system distribution; the upgrade job fails.',
      safely: 'Upgrade the major version on the same distribution first, then change the distribution in a separate change (a minor-style rolling update), or do a blue/green upgrade (initdb.import or logical replication).',
      ackOn: onHead(head),
    });
    return;
  }
  out.push({
    id: 'major-upgrade', severity: 'note', obj: head, change: what,
    why: 'CloudNativePG 1.30 runs an offline in-place pg_upgrade: every instance (replicas too) is down during the upgrade, replicas are re-cloned afterwards, and pre-upgrade backups cannot be used for point-in-time recovery after it. Reverting the image is only possible while the upgrade job has not succeeded.',
    safely: 'Plan the downtime, take a backup right before, run ANALYZE afterwards and take a new base backup as soon as it finishes.',
    ackOn: onHead(head),
  });
  const bs = serverNames(base); const hs = serverNames(head);
  if (bs.length > 0 && hs.some(s => bs.includes(s))) {
    out.push({
      id: 'major-upgrade-archive-shared', severity: 'blocking', obj: head,
      change: `${what} with the same backup serverName (${hs.filter(s => bs.includes(s)).join(', ')})`,
      why: 'pg_upgrade starts a new system on timeline 1: its WAL and backups go to the same archive path as the old major\'s and can overwrite the old timeline-1 files, so the pre-upgrade backups may become unusable.',
      safely: 'Change the backup server name in the same change as the image: PostgresCluster `backup.serverName` (the Barman Cloud plugin\'s `serverName` parameter), for example `<cluster>-pg' + to.major + '`.',
      ackOn: onHead(head),
    });
  }
}

/** Database version changes: downgrades, upgrades beyond what the engine does in place. */
export const versionRules: RuleGroup = (ctx) => {
  const out: RawFinding[] = [];
  for (const { base, head } of ctx.pairs) {
    if (isKind(base, 'Cluster', CNPG_GROUP)) postgresVersions(out, base, head);
    else if (holdsData(base) && holdsData(head)) containerVersions(out, base, head);
  }
  return out;
};
