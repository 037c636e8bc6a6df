import { IConstruct } from 'constructs';

/** One warning of one construct. */
export interface ConstructWarning {
  /** Stable id, the one to name when silencing it, e.g. `cassandra-authentication-off`. */
  readonly id: string;
  /** What is unsafe and what to do about it. */
  readonly message: string;
  /** Path of the construct that raised it. */
  readonly path: string;
  /**
   * Why it is silenced, when the construct or one of its scopes silences its id.
   * @default not silenced
   */
  readonly silencedBecause?: string;
}

const registry = new WeakMap<IConstruct, Warnings>();

/**
 * Warnings of a construct about unsafe choices made on purpose (authentication off, no
 * disruption budget, ...). Each one is printed once to stderr when the app synthesizes, naming
 * the construct path and the id; `Warnings.of(scope).silence(id, reason)` silences an id on a
 * construct and everything under it.
 */
export class Warnings {
  /** The warnings of a construct (created on first use). */
  public static of(construct: IConstruct): Warnings {
    let warnings = registry.get(construct);
    if (!warnings) {
      warnings = new Warnings(construct);
      registry.set(construct, warnings);
    }
    return warnings;
  }

  /** Every warning raised under `scope` (itself included), silenced ones marked with their reason. */
  public static collect(scope: IConstruct): ConstructWarning[] {
    return scope.node.findAll().flatMap(c => registry.get(c)?.all ?? []);
  }

  private readonly raised: Array<{ id: string; message: string }> = [];
  private readonly silenced = new Map<string, string>();
  private printed = false;

  private constructor(private readonly construct: IConstruct) {}

  /** This construct's warnings, silenced ones marked with their reason. */
  public get all(): ConstructWarning[] {
    return this.raised.map(w => {
      const reason = this.silencedBy(w.id);
      return { id: w.id, message: w.message, path: this.construct.node.path, ...(reason !== undefined ? { silencedBecause: reason } : {}) };
    });
  }

  /** This construct's warnings that no scope silences. */
  public get active(): ConstructWarning[] {
    return this.all.filter(w => w.silencedBecause === undefined);
  }

  /** Raises a warning on this construct (constructs call this while rendering). */
  public add(id: string, message: string): void {
    if (this.raised.length === 0) {
      this.construct.node.addValidation({ validate: () => { this.print(); return []; } });
    }
    this.raised.push({ id, message });
    this.construct.node.addMetadata('warning', message);
  }

  /**
   * Silences warning `id` on this construct and every construct under it. The reason is
   * required: it records why the unsafe choice is fine here.
   */
  public silence(id: string, reason: string): void {
    if (typeof id !== 'string' || id.trim() === '') throw new Error(`Warnings.silence at ${this.construct.node.path}: give the id of the warning to silence`);
    if (typeof reason !== 'string' || reason.trim() === '') {
      throw new Error(`Warnings.silence('${id}') at ${this.construct.node.path}: give a reason (why this choice is fine here)`);
    }
    this.silenced.set(id, reason.trim());
  }

  private silencedBy(id: string): string | undefined {
    for (const scope of [...this.construct.node.scopes].reverse()) {
      const reason = registry.get(scope)?.silenced.get(id);
      if (reason !== undefined) return reason;
    }
    return undefined;
  }

  /** Prints the active warnings once (the first synthesis of this construct). */
  private print(): void {
    if (this.printed) return;
    this.printed = true;
    for (const w of this.active) {
      process.stderr.write(`[cdk8s-data warning] ${w.path}: ${w.message} (${w.id}; silence with Warnings.of(construct).silence('${w.id}', reason))\n`);
    }
  }
}
