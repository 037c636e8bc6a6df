import { RawFinding, RuleGroup, field, onHead } from './rule';
import { ATLAS_GROUP, Manifest, isKind } from './identity';

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
  return out;
};
