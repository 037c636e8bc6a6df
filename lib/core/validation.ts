import { Problem, ValidationError } from './errors';

/**
 * Tells the library's validation errors (bad props, reported at synth time) apart from other
 * errors, in every language the package is published for. TypeScript users may also catch
 * `ValidationError` by class from the errors the constructs throw.
 */
export class Validation {
  /** True when `x` is a validation error thrown by one of this library's constructs. */
  public static isValidationError(x: any): boolean {
    return x instanceof ValidationError || (x instanceof Error && x.name === 'ValidationError' && Array.isArray((x as any).problems));
  }

  /** The problems a validation error carries (field, value, message, fix); empty for any other error. */
  public static problemsOf(x: any): Problem[] {
    return Validation.isValidationError(x) ? [...(x as ValidationError).problems] : [];
  }

  private constructor() {}
}
