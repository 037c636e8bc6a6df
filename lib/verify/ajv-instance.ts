import type Ajv from 'ajv';
import { re2Compatible } from './regex';

/**
 * A new Ajv instance as verification compiles with (every error, RE2-compatible patterns, standalone
 * source kept for the validator cache, formats; `inlineRefs: false` keeps each `$ref` a function of
 * its own). ajv is loaded here, on first need only: a run whose
 * validators all come from a warm cache never loads it.
 */
export function newAjv(options: { inlineRefs?: boolean } = {}): Ajv {
  const AjvClass: typeof Ajv = require('ajv').default;
  const addFormats: (ajv: Ajv) => void = require('ajv-formats').default;
  const ajv = new AjvClass({ strict: false, allErrors: true, verbose: true, validateSchema: false, addUsedSchema: false, ...options, code: { regExp: re2Compatible as any, optimize: false, source: true } });
  addFormats(ajv);
  return ajv;
}
