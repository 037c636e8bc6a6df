import { IConstruct } from 'constructs';

/** One problem with one prop: where it is, what was given, and how to fix it. */
export interface Problem {
  /** Dotted path of the prop, e.g. `storage.size`. */
  readonly field: string;
  /** The value that was given (rendered with JSON.stringify in messages). */
  readonly value: any;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  try {
    const text = JSON.stringify(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
  } catch {
    return String(value);
  }
}

/**
 * The single error type for bad props. It names the construct path and carries every problem
 * found in that construct, so a user fixes them all in one round.
 *
 * TypeScript and JavaScript users catch it by class; in other languages it is an error named
 * `ValidationError` whose message lists every problem. It stays outside the jsii assembly
 * (`@internal` there) because jsii cannot represent a subclass of `Error`.
 * @internal
 */
export class ValidationError extends Error {
  public readonly constructPath: string;
  public readonly problems: Problem[];

  constructor(constructPath: string, constructType: string, problems: Problem[]) {
    const lines = problems.map(p => `  - ${p.field}: ${p.message} (got ${show(p.value)}). Fix: ${p.fix}`);
    super(`Invalid ${constructType} at '${constructPath}':\n${lines.join('\n')}`);
    this.name = 'ValidationError';
    this.constructPath = constructPath;
    this.problems = problems;
  }

  /** The fields with a problem, for tests and tooling. */
  public get fields(): string[] {
    return this.problems.map(p => p.field);
  }
}

/**
 * Collects the problems of one construct; `throwIfAny()` raises them together.
 * Constructs call it before creating any child object, so nothing is emitted half-way.
 */
export class Problems {
  private readonly list: Problem[] = [];

  constructor(private readonly scope: IConstruct, private readonly constructType: string) {}

  public add(field: string, value: unknown, message: string, fix: string): void {
    this.list.push({ field, value, message, fix });
  }

  /** Records a problem when `ok` is false; returns `ok` so callers can skip dependent checks. */
  public check(ok: boolean, field: string, value: unknown, message: string, fix: string): boolean {
    if (!ok) this.add(field, value, message, fix);
    return ok;
  }

  public get empty(): boolean {
    return this.list.length === 0;
  }

  public throwIfAny(): void {
    if (this.list.length > 0) {
      throw new ValidationError(this.scope.node.path, this.constructType, this.list);
    }
  }
}
