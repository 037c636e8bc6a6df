import { schemasUnavailable } from '../../lib/verify';

const missing = schemasUnavailable();
if (missing) {
  // eslint-disable-next-line no-console
  console.warn(`verify tests skipped: ${missing}`);
}

/** `describe` when the schema and CRD files are there; otherwise the block is reported as skipped, with the reason printed. */
export const describeWithSchemas: jest.Describe = (missing ? describe.skip : describe) as jest.Describe;
