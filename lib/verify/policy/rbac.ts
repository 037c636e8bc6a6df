import { list, VerifyContext } from '../context';

const BROAD_ROLES = new Set(['cluster-admin', 'admin', 'edit']);
/** Verbs that can be limited to named objects. */
const NAMEABLE_VERBS = new Set(['get', 'update', 'patch', 'delete']);

/** rbac-least: no wildcards, no cluster-admin, no unscoped Secret access. */
export function checkRbac(ctx: VerifyContext): void {
  for (const obj of ctx.objects) {
    if (typeof obj?.apiVersion !== 'string' || !obj.apiVersion.startsWith('rbac.authorization.k8s.io/')) continue;
    if (obj.kind === 'Role' || obj.kind === 'ClusterRole') {
      list(obj.rules).forEach((rule: any, i: number) => {
        for (const field of ['apiGroups', 'resources', 'verbs', 'nonResourceURLs'] as const) {
          if (list(rule?.[field]).includes('*')) {
            ctx.add({ check: 'rbac-least', origin: 'KL', object: obj, message: `rule ${i} uses "*" in ${field}; list what is needed` });
          }
        }
        const resources: string[] = list(rule?.resources);
        const named = list(rule?.resourceNames).length > 0;
        if (resources.some(r => r === 'secrets' || (typeof r === 'string' && r.startsWith('secrets/'))) && !named) {
          ctx.add({ check: 'rbac-least', origin: 'PO', object: obj, message: `rule ${i} grants access to every Secret; restrict it with resourceNames` });
        }
        const verbs: string[] = list(rule?.verbs);
        if (!named && verbs.length > 0 && resources.length > 0 && verbs.every(v => NAMEABLE_VERBS.has(v)) && !resources.some(r => r === 'secrets')) {
          ctx.add({ check: 'rbac-least', origin: 'PO', object: obj, severity: 'warning', message: `rule ${i} could be scoped to named objects with resourceNames` });
        }
      });
    } else if (obj.kind === 'RoleBinding' || obj.kind === 'ClusterRoleBinding') {
      const role = obj.roleRef?.name;
      if (obj.roleRef?.kind === 'ClusterRole' && BROAD_ROLES.has(role)) {
        ctx.add({ check: 'rbac-least', origin: 'KL', object: obj, severity: role === 'cluster-admin' ? 'error' : 'warning', message: `binds the built-in ClusterRole ${role}; define a Role with the few permissions needed` });
      }
    }
  }
}
