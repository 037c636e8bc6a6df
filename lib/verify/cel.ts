/**
 * A small evaluator for the subset of CEL (Common Expression Language) that CRD validation
 * rules (`x-kubernetes-validations`) use in practice: literals, `self` and field access, `has()`,
 * `size()`, `!`, `&&`, `||`, `?:`, comparisons, arithmetic, `in`, string methods (startsWith,
 * endsWith, contains, matches, size) and the list macros all / exists / exists_one / filter / map.
 *
 * Transition rules (those that mention `oldSelf`) are skipped: they compare against the stored
 * object, which does not exist when manifests are created. A rule that uses anything else, or
 * whose evaluation hits a type error, is skipped too (never reported as a failure): the API
 * server stays the authority for those. Reading a missing field fails the rule, as on the API
 * server ("no such key"), unless `&&` / `||` decide without it.
 */

type Node =
  | { t: 'lit'; v: unknown }
  | { t: 'id'; name: string }
  | { t: 'field'; obj: Node; name: string }
  | { t: 'index'; obj: Node; index: Node }
  | { t: 'call'; fn: string; target?: Node; args: Node[] }
  | { t: 'unary'; op: string; arg: Node }
  | { t: 'binary'; op: string; left: Node; right: Node }
  | { t: 'cond'; test: Node; then: Node; else: Node }
  | { t: 'list'; items: Node[] };

class Unsupported extends Error {}

const TOKEN = /\s*(?:(\d+\.\d+|\d+u?)|('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|([A-Za-z_][A-Za-z0-9_]*)|(==|!=|<=|>=|&&|\|\||[-+*/%<>!?:().,[\]{}]))/y;

function tokenize(src: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < src.length) {
    if (/^\s*$/.test(src.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(src);
    if (!m) throw new Unsupported(`cannot read "${src.slice(pos, pos + 10)}"`);
    out.push(m[1] ?? m[2] ?? m[3] ?? m[4]);
    pos = TOKEN.lastIndex;
  }
  return out;
}

function unquote(token: string): string {
  return token.slice(1, -1).replace(/\\(.)/g, (_, c) => ({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[c] ?? c);
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: string[]) {}

  public parseAll(): Node {
    const node = this.expr();
    if (this.i < this.tokens.length) throw new Unsupported(`unexpected ${this.tokens[this.i]}`);
    return node;
  }

  private peek(): string | undefined { return this.tokens[this.i]; }
  private next(): string {
    const t = this.tokens[this.i++];
    if (t === undefined) throw new Unsupported('unexpected end');
    return t;
  }
  private expect(t: string): void {
    if (this.next() !== t) throw new Unsupported(`expected ${t}`);
  }

  private expr(): Node {
    const test = this.or();
    if (this.peek() === '?') {
      this.next();
      const then = this.expr();
      this.expect(':');
      return { t: 'cond', test, then, else: this.expr() };
    }
    return test;
  }

  private or(): Node {
    let left = this.and();
    while (this.peek() === '||') { this.next(); left = { t: 'binary', op: '||', left, right: this.and() }; }
    return left;
  }

  private and(): Node {
    let left = this.rel();
    while (this.peek() === '&&') { this.next(); left = { t: 'binary', op: '&&', left, right: this.rel() }; }
    return left;
  }

  private rel(): Node {
    let left = this.add();
    while (['==', '!=', '<', '<=', '>', '>=', 'in'].includes(this.peek() ?? '')) {
      const op = this.next();
      left = { t: 'binary', op, left, right: this.add() };
    }
    return left;
  }

  private add(): Node {
    let left = this.mul();
    while (this.peek() === '+' || this.peek() === '-') { const op = this.next(); left = { t: 'binary', op, left, right: this.mul() }; }
    return left;
  }

  private mul(): Node {
    let left = this.unary();
    while (['*', '/', '%'].includes(this.peek() ?? '')) { const op = this.next(); left = { t: 'binary', op, left, right: this.unary() }; }
    return left;
  }

  private unary(): Node {
    if (this.peek() === '!' || this.peek() === '-') { const op = this.next(); return { t: 'unary', op, arg: this.unary() }; }
    return this.postfix(this.primary());
  }

  private args(): Node[] {
    const args: Node[] = [];
    if (this.peek() !== ')') {
      args.push(this.expr());
      while (this.peek() === ',') { this.next(); args.push(this.expr()); }
    }
    this.expect(')');
    return args;
  }

  private postfix(node: Node): Node {
    for (;;) {
      if (this.peek() === '.') {
        this.next();
        const name = this.next();
        if (!/^[A-Za-z_]/.test(name)) throw new Unsupported(`bad field ${name}`);
        if (this.peek() === '(') { this.next(); node = { t: 'call', fn: name, target: node, args: this.args() }; } else node = { t: 'field', obj: node, name };
      } else if (this.peek() === '[') {
        this.next();
        const index = this.expr();
        this.expect(']');
        node = { t: 'index', obj: node, index };
      } else {
        return node;
      }
    }
  }

  private primary(): Node {
    const tok = this.next();
    if (tok === '(') { const e = this.expr(); this.expect(')'); return e; }
    if (tok === '[') {
      const items: Node[] = [];
      if (this.peek() !== ']') {
        items.push(this.expr());
        while (this.peek() === ',') { this.next(); items.push(this.expr()); }
      }
      this.expect(']');
      return { t: 'list', items };
    }
    if (/^\d+\.\d+$/.test(tok)) return { t: 'lit', v: Number(tok) };
    if (/^\d+u?$/.test(tok)) return { t: 'lit', v: Number(tok.replace('u', '')) };
    if (tok[0] === '\'' || tok[0] === '"') return { t: 'lit', v: unquote(tok) };
    if (tok === 'true' || tok === 'false') return { t: 'lit', v: tok === 'true' };
    if (tok === 'null') return { t: 'lit', v: null };
    if (/^[A-Za-z_]/.test(tok)) {
      if (this.peek() === '(') { this.next(); return { t: 'call', fn: tok, args: this.args() }; }
      return { t: 'id', name: tok };
    }
    throw new Unsupported(`unexpected ${tok}`);
  }
}

/** Raised during evaluation when the rule cannot be decided here (missing field, type mismatch). */
class Undecided extends Error {}
/** A missing field: the API server reports the rule as failed ("no such key"), and so do we. */
class NoSuchKey extends Undecided {}

type Env = Record<string, unknown>;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function truth(v: unknown): boolean {
  if (typeof v !== 'boolean') throw new Undecided('not a boolean');
  return v;
}

function equal(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every(k => k in b && equal(a[k], b[k]));
  }
  return a === b;
}

function size(v: unknown): number {
  if (typeof v === 'string') return [...v].length;
  if (Array.isArray(v)) return v.length;
  if (isObject(v)) return Object.keys(v).length;
  throw new Undecided('size of a non-collection');
}

function evaluate(node: Node, env: Env): unknown {
  switch (node.t) {
    case 'lit': return node.v;
    case 'id':
      if (!(node.name in env)) throw new Undecided(`unknown name ${node.name}`);
      return env[node.name];
    case 'list': return node.items.map(i => evaluate(i, env));
    case 'field': {
      const obj = evaluate(node.obj, env);
      if (!isObject(obj)) throw new Undecided(`field ${node.name} of a non-object`);
      if (!(node.name in obj)) throw new NoSuchKey(`no such key: ${node.name}`);
      return obj[node.name];
    }
    case 'index': {
      const obj = evaluate(node.obj, env);
      const index = evaluate(node.index, env);
      if (Array.isArray(obj) && typeof index === 'number' && index >= 0 && index < obj.length) return obj[index];
      if (isObject(obj) && typeof index === 'string') {
        if (!(index in obj)) throw new NoSuchKey(`no such key: ${index}`);
        return obj[index];
      }
      throw new Undecided('bad index');
    }
    case 'unary': {
      const v = evaluate(node.arg, env);
      if (node.op === '!') return !truth(v);
      if (typeof v !== 'number') throw new Undecided('negating a non-number');
      return -v;
    }
    case 'cond': return truth(evaluate(node.test, env)) ? evaluate(node.then, env) : evaluate(node.else, env);
    case 'binary': return binary(node.op, node.left, node.right, env);
    case 'call': return call(node, env);
  }
}

function binary(op: string, leftNode: Node, rightNode: Node, env: Env): unknown {
  if (op === '&&' || op === '||') {
    // CEL's commutative logic: an error on one side is absorbed when the other side decides.
    let left: boolean | undefined;
    try { left = truth(evaluate(leftNode, env)); } catch (e) { if (!(e instanceof Undecided)) throw e; }
    if (op === '&&' && left === false) return false;
    if (op === '||' && left === true) return true;
    const right = truth(evaluate(rightNode, env));
    if (left === undefined) {
      if ((op === '&&' && !right) || (op === '||' && right)) return right;
      throw new Undecided('undecided operand');
    }
    return right;
  }
  const a = evaluate(leftNode, env);
  const b = evaluate(rightNode, env);
  switch (op) {
    case '==': return equal(a, b);
    case '!=': return !equal(a, b);
    case 'in':
      if (Array.isArray(b)) return b.some(x => equal(x, a));
      if (isObject(b) && typeof a === 'string') return a in b;
      throw new Undecided('in on a non-collection');
    default: break;
  }
  if (typeof a === 'number' && typeof b === 'number') {
    switch (op) {
      case '<': return a < b;
      case '<=': return a <= b;
      case '>': return a > b;
      case '>=': return a >= b;
      case '+': return a + b;
      case '-': return a - b;
      case '*': return a * b;
      case '/': if (b === 0) throw new Undecided('division by zero'); return Math.trunc(a / b);
      case '%': if (b === 0) throw new Undecided('modulo by zero'); return a % b;
      default: break;
    }
  }
  if (typeof a === 'string' && typeof b === 'string') {
    switch (op) {
      case '<': return a < b;
      case '<=': return a <= b;
      case '>': return a > b;
      case '>=': return a >= b;
      case '+': return a + b;
      default: break;
    }
  }
  if (op === '+' && Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  throw new Undecided(`operator ${op} on these types`);
}

const MACROS = new Set(['all', 'exists', 'exists_one', 'filter', 'map']);

function call(node: Extract<Node, { t: 'call' }>, env: Env): unknown {
  if (node.target === undefined) {
    if (node.fn === 'has') {
      const arg = node.args[0];
      if (node.args.length !== 1 || arg.t !== 'field') throw new Unsupported('has() needs a field');
      const obj = evaluate(arg.obj, env);
      if (!isObject(obj)) throw new Undecided('has() on a non-object');
      return arg.name in obj;
    }
    const args = node.args.map(a => evaluate(a, env));
    if (node.fn === 'size' && args.length === 1) return size(args[0]);
    if (node.fn === 'int' && args.length === 1 && (typeof args[0] === 'number' || typeof args[0] === 'string')) return Math.trunc(Number(args[0]));
    if (node.fn === 'string' && args.length === 1) return String(args[0]);
    throw new Unsupported(`function ${node.fn}`);
  }
  if (MACROS.has(node.fn)) {
    const [variable, body] = node.args;
    if (node.args.length !== 2 || variable.t !== 'id') throw new Unsupported(`macro ${node.fn}`);
    const target = evaluate(node.target, env);
    const items = Array.isArray(target) ? target : isObject(target) ? Object.keys(target) : undefined;
    if (!items) throw new Undecided('macro on a non-collection');
    const test = (x: unknown) => evaluate(body, { ...env, [variable.name]: x });
    switch (node.fn) {
      case 'all': return items.every(x => truth(test(x)));
      case 'exists': return items.some(x => truth(test(x)));
      case 'exists_one': return items.filter(x => truth(test(x))).length === 1;
      case 'filter': return items.filter(x => truth(test(x)));
      default: return items.map(test);
    }
  }
  const target = evaluate(node.target, env);
  const args = node.args.map(a => evaluate(a, env));
  if (node.fn === 'size' && args.length === 0) return size(target);
  if (typeof target === 'string' && args.length === 1 && typeof args[0] === 'string') {
    const arg = args[0];
    switch (node.fn) {
      case 'startsWith': return target.startsWith(arg);
      case 'endsWith': return target.endsWith(arg);
      case 'contains': return target.includes(arg);
      case 'matches': {
        let re: RegExp;
        try {
          re = new RegExp(arg, 'u');
        } catch {
          throw new Undecided(`pattern ${arg} is not readable here`);
        }
        return re.test(target);
      }
      default: break;
    }
  }
  throw new Unsupported(`method ${node.fn}`);
}

function mentions(node: Node, name: string): boolean {
  switch (node.t) {
    case 'lit': return false;
    case 'id': return node.name === name;
    case 'list': return node.items.some(i => mentions(i, name));
    case 'field': return mentions(node.obj, name);
    case 'index': return mentions(node.obj, name) || mentions(node.index, name);
    case 'unary': return mentions(node.arg, name);
    case 'cond': return mentions(node.test, name) || mentions(node.then, name) || mentions(node.else, name);
    case 'binary': return mentions(node.left, name) || mentions(node.right, name);
    case 'call': return (node.target !== undefined && mentions(node.target, name)) || node.args.some(a => mentions(a, name));
  }
}

/** Rules that could not be compiled here, for reporting what is approximate. */
export const SKIPPED_CEL_RULES = new Set<string>();

const compiled = new Map<string, ((self: unknown) => boolean | undefined) | undefined>();

/**
 * Compiles a CEL validation rule into a function of `self` returning true (passes), false
 * (fails) or undefined (cannot be decided here). Returns undefined for transition rules and for
 * rules outside the supported subset.
 */
export function compileCelRule(rule: string): ((self: unknown) => boolean | undefined) | undefined {
  if (compiled.has(rule)) return compiled.get(rule);
  let fn: ((self: unknown) => boolean | undefined) | undefined;
  try {
    const ast = new Parser(tokenize(rule)).parseAll();
    if (mentions(ast, 'oldSelf')) {
      fn = undefined;
    } else {
      fn = (self: unknown) => {
        try {
          const result = evaluate(ast, { self });
          return typeof result === 'boolean' ? result : undefined;
        } catch (e) {
          if (e instanceof NoSuchKey) return false;
          if (e instanceof Undecided || e instanceof Unsupported) return undefined;
          throw e;
        }
      };
    }
  } catch (e) {
    if (!(e instanceof Unsupported)) throw e;
    fn = undefined;
  }
  if (!fn) SKIPPED_CEL_RULES.add(rule);
  compiled.set(rule, fn);
  return fn;
}
