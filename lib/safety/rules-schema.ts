import { RawFinding, RuleGroup, field, onHead } from './rule';
import { ATLAS_GROUP, Manifest, containersOf, isKind, labelsOf } from './identity';

/** The environment variable through which SchemaMigration's Job runners allow destructive statements. */
export const ALLOW_DESTRUCTIVE_ENV = 'ALLOW_DESTRUCTIVE';

/** For a migration runner Job (or CronJob): does it allow destructive statements? undefined: not a runner. */
export function jobAllowsDestructive(obj: Manifest): boolean | undefined {
  if (!isKind(obj, 'Job', 'batch') && !isKind(obj, 'CronJob', 'batch')) return undefined;
  let seen = false;
  for (const c of containersOf(obj)) {
    for (const e of (c.env ?? []) as Manifest[]) {
      if (e.name !== ALLOW_DESTRUCTIVE_ENV) continue;
      seen = true;
      if (String(e.value).toLowerCase() === 'true') return true;
    }
  }
  return seen ? false : undefined;
}

/** A Job name without the content hash a runner Job carries (`orders-schema-3f9a1c2b` → `orders-schema`). */
function stem(name: string): string {
  return name.replace(/-[0-9a-f]{6,}$/, '');
}

/** The base runner Jobs that a head runner Job replaces: same namespace, and same instance label or name stem. */
function previousRunners(base: readonly Manifest[], job: Manifest): Manifest[] {
  const instance = labelsOf(job)['app.kubernetes.io/instance'];
  const component = labelsOf(job)['app.kubernetes.io/component'];
  return base.filter(b => b.kind === job.kind && jobAllowsDestructive(b) !== undefined
    && (b.metadata?.namespace ?? '') === (job.metadata?.namespace ?? '')
    && ((instance !== undefined && labelsOf(b)['app.kubernetes.io/instance'] === instance && labelsOf(b)['app.kubernetes.io/component'] === component)
      || stem(String(b.metadata?.name)) === stem(String(job.metadata?.name))));
}

const DESTRUCTIVE_SKIPS = ['drop_schema', 'drop_table', 'drop_column', 'drop_index', 'drop_foreign_key'];

const WHY = 'The migration controller may now drop schemas, tables or columns on the next reconcile when the declared schema no longer has them: the rows in them are gone, with no undo but a restore.';
const SAFELY = 'Keep destructive changes refused; when a drop is really intended, allow it in a dedicated change, check the planned statements (`atlas schema diff`), take a backup, and acknowledge `destructive-schema-allowed` on the migration.';

/** What a migration resource guards against: names of the guards it has. */
function guards(obj: Manifest): string[] {
  const out: string[] = [];
  if (isKind(obj, 'AtlasSchema', ATLAS_GROUP)) {
    if (field(obj, 'spec.policy.lint.destructive.error') === true) out.push('policy.lint.destructive.error');
    for (const s of DESTRUCTIVE_SKIPS) if (field(obj, `spec.policy.diff.skip.${s}`) === true) out.push(`policy.diff.skip.${s}`);
  }
  if (isKind(obj, 'AtlasMigration', ATLAS_GROUP)) {
    if (field(obj, 'spec.protectedFlows.migrateDown.allow') !== true) out.push('protectedFlows.migrateDown (down migrations refused)');
  }
  return out;
}

/** SchemaMigration safety: destructive changes newly allowed. */
export const schemaRules: RuleGroup = (ctx) => {
  const out: RawFinding[] = [];
  for (const { base, head } of ctx.pairs) {
    if (!isKind(base, 'AtlasSchema', ATLAS_GROUP) && !isKind(base, 'AtlasMigration', ATLAS_GROUP)) continue;
    const hg = guards(head);
    const lost = guards(base).filter(g => !hg.includes(g));
    if (lost.length > 0) {
      out.push({ id: 'destructive-schema-allowed', severity: 'blocking', obj: head, change: `guard removed: ${lost.join(', ')}`, why: WHY, safely: SAFELY, ackOn: onHead(head) });
    }
  }
  for (const h of ctx.added) {
    if (isKind(h, 'AtlasSchema', ATLAS_GROUP) && field(h, 'spec.policy.lint.destructive.error') !== true) {
      out.push({ id: 'destructive-schema-allowed', severity: 'note', obj: h, change: 'new AtlasSchema without policy.lint.destructive.error', why: WHY, safely: SAFELY, ackOn: onHead(h) });
    }
  }
  // Job mode: the runner Job's name carries a content hash, so it is matched to the Job it replaces.
  for (const h of ctx.head.objects) {
    if (jobAllowsDestructive(h) !== true) continue;
    const previous = previousRunners(ctx.base.objects, h);
    if (previous.length === 0) {
      out.push({ id: 'destructive-schema-allowed', severity: 'note', obj: h, change: `new migration runner with ${ALLOW_DESTRUCTIVE_ENV}=true`, why: WHY, safely: SAFELY, ackOn: onHead(h) });
    } else if (previous.some(b => jobAllowsDestructive(b) === false)) {
      out.push({
        id: 'destructive-schema-allowed', severity: 'blocking', obj: h,
        change: `${ALLOW_DESTRUCTIVE_ENV} false → true (allowDestructiveChanges turned on; previous runner ${previous.map(b => b.metadata?.name).join(', ')})`,
        why: 'The migration runner now applies DROP and TRUNCATE statements instead of refusing them: tables, columns and their rows are deleted, with no undo but a restore.',
        safely: SAFELY,
        ackOn: onHead(h),
      });
    }
  }
  return out;
};
