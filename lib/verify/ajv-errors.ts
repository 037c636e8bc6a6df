import type { ErrorObject } from 'ajv';

/** `/spec/template/spec/containers/0/name` -> `spec.template.spec.containers[0].name`. */
export function jsonPointerToPath(pointer: string): string {
  if (pointer === '') return '(root)';
  let out = '';
  for (const raw of pointer.slice(1).split('/')) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^[0-9]+$/.test(part)) out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

/**
 * Turns ajv errors into short readable messages, one per problem. Errors inside the branches of a
 * failed oneOf/anyOf at the same place are folded into the oneOf/anyOf message.
 */
export function describeAjvErrors(errors: readonly ErrorObject[] | null | undefined): string[] {
  if (!errors) return [];
  const unions = errors.filter(e => e.keyword === 'oneOf' || e.keyword === 'anyOf');
  const out = new Set<string>();
  for (const e of errors) {
    if (e.keyword !== 'oneOf' && e.keyword !== 'anyOf'
      && unions.some(u => e.schemaPath.startsWith(u.schemaPath.replace(/\/(oneOf|anyOf)$/, '/$1/')) && e.instancePath === u.instancePath)) {
      continue;
    }
    const where = jsonPointerToPath(e.instancePath);
    const p: any = e.params;
    switch (e.keyword) {
      case 'additionalProperties':
        out.add(`${where === '(root)' ? '' : `${where}.`}${p.additionalProperty}: unknown field`);
        break;
      case 'required':
        out.add(`${where === '(root)' ? '' : `${where}.`}${p.missingProperty}: required field is missing`);
        break;
      case 'type':
        out.add(`${where}: must be ${p.type}`);
        break;
      case 'enum':
        out.add(`${where}: must be one of ${(p.allowedValues as unknown[]).map(v => JSON.stringify(v)).join(', ')}`);
        break;
      case 'oneOf':
      case 'anyOf': {
        const types = branchTypes(errors, e);
        out.add(types ? `${where}: must be ${types.join(' or ')}` : `${where}: ${e.message}`);
        break;
      }
      default:
        out.add(`${where}: ${e.message}`);
    }
  }
  return [...out];
}

/**
 * The type of each branch of a failed oneOf/anyOf, in order, when every branch failed on its type
 * at the union's own place (int-or-string given a list, say); else undefined.
 */
function branchTypes(errors: readonly ErrorObject[], union: ErrorObject): string[] | undefined {
  const prefix = `${union.schemaPath}/`;
  const types = new Map<number, string | undefined>();
  for (const e of errors) {
    if (!e.schemaPath.startsWith(prefix)) continue;
    const branch = Number(e.schemaPath.slice(prefix.length).split('/')[0]);
    const type = e.keyword === 'type' && e.schemaPath === `${prefix}${branch}/type` && e.instancePath === union.instancePath ? String((e.params as any).type) : undefined;
    if (!types.has(branch) || type !== undefined) types.set(branch, type);
  }
  const ordered = [...types.keys()].sort((a, b) => a - b).map(i => types.get(i));
  return ordered.length > 0 && ordered.every(t => t !== undefined) ? ordered as string[] : undefined;
}
