import { resolve } from 'path';
import * as ts from 'typescript';

const root = resolve(__dirname, '..', '..');

/** Every name the package entry exports, with its kind: the public API, one line each. */
function exportedNames(entry: string): string[] {
  const program = ts.createProgram([entry], { noEmit: true, skipLibCheck: true, types: [] });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
  return checker.getExportsOfModule(module).map(symbol => {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    const kind = target.flags & ts.SymbolFlags.Class ? 'class'
      : target.flags & ts.SymbolFlags.Enum ? 'enum'
        : target.flags & ts.SymbolFlags.Interface ? 'interface'
          : target.flags & ts.SymbolFlags.Function ? 'function'
            : target.flags & ts.SymbolFlags.TypeAlias ? 'type'
              : target.flags & ts.SymbolFlags.Variable ? 'const' : 'other';
    return `${kind} ${symbol.name}`;
  }).sort();
}

describe('public API', () => {
  const names = exportedNames(resolve(root, 'lib', 'index.ts'));

  it('exports exactly this list (an API change shows here as a diff)', () => {
    expect(names).toMatchSnapshot();
  });

  it('exports only classes, interfaces and enums: no free functions, constants or type aliases (jsii)', () => {
    expect(names.filter(n => !/^(class|interface|enum) /.test(n))).toEqual([]);
  });

  it('exports at runtime exactly the classes and enums of the list', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const runtime = Object.keys(require(resolve(root, 'lib'))).sort();
    expect(runtime).toEqual(names.filter(n => !n.startsWith('interface ')).map(n => n.split(' ')[1]).sort());
  });
});
