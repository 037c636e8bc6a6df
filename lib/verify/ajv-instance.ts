import type Ajv from 'ajv';
import { re2Compatible } from './regex';

/**
 * A new Ajv instance as verification compiles with (every error, RE2-compatible patterns, standalone
 * source kept for the validator cache, formats; `inlineRefs: false` keeps each `$ref` a function of
 * its own). ajv is loaded here, on first need only: a run whose validators all come from a warm
 * cache never loads it.
 *
 * Errors carry no copy of the schema (`verbose` off) and the code is optimized: compiling takes
 * longer, once per schema and machine, and every warm run loads about a quarter less code.
 */
export function newAjv(options: { inlineRefs?: boolean } = {}): Ajv {
  const AjvClass: typeof Ajv = require('ajv').default;
  const addFormats: (ajv: Ajv) => void = require('ajv-formats').default;
  const ajv = new AjvClass({ strict: false, allErrors: true, validateSchema: false, addUsedSchema: false, ...options, code: { regExp: re2Compatible as any, source: true } });
  addFormats(ajv);
  return ajv;
}
