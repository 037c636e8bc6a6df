import { loadOptionalParser, parserMissing } from '../../lib/migration/private/optional-parser';

describe('optional SQL parsers', () => {
  it('loads an installed parser', () => {
    expect(loadOptionalParser<{ parse: unknown }>('pgsql-ast-parser')?.parse).toBeInstanceOf(Function);
  });

  it('gives undefined for a parser that is not installed, and a reason that names it', () => {
    expect(loadOptionalParser('cdk8s-data-no-such-parser')).toBeUndefined();
    expect(parserMissing('node-sql-parser')).toMatch(/"node-sql-parser".*optional dependency.*not installed/);
  });
});
