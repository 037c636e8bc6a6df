import { compileCelRule } from '../../lib/verify/cel';

describe('CEL subset for x-kubernetes-validations', () => {
  it.each([
    ["!has(self.icuLocale) || self.localeProvider == 'icu'", {}, true],
    ["!has(self.icuLocale) || self.localeProvider == 'icu'", { icuLocale: 'en' }, false],
    ["!has(self.icuLocale) || self.localeProvider == 'icu'", { icuLocale: 'en', localeProvider: 'icu' }, true],
    ['!(has(self.imageCatalogRef) && has(self.imageName))', { imageName: 'x', imageCatalogRef: {} }, false],
    ["self.kind == 'ImageCatalog' || self.kind == 'ClusterImageCatalog'", { kind: 'Other' }, false],
    ["self != ''", '', false],
    ['self > 0', 3, true],
    ['self.name.size() != 0', { name: '' }, false],
    ["!self.name.startsWith('pg_')", { name: 'pg_app' }, false],
    ['self.all(e, self.filter(f, f.major==e.major).size() == 1)', [{ major: 16 }, { major: 17 }], true],
    ['self.all(e, self.filter(f, f.major==e.major).size() == 1)', [{ major: 17 }, { major: 17 }], false],
    ["!self.exists(a, a.startsWith('--log-level'))", ['--verbose'], true],
    ["(has(self.allTables) && !has(self.objects)) || (!has(self.allTables) && has(self.objects))", { allTables: true }, true],
    ["(has(self.allTables) && !has(self.objects)) || (!has(self.allTables) && has(self.objects))", {}, false],
    ["self.dataDurability!='preferred' || ((!has(self.standbyNamesPre) || self.standbyNamesPre.size()==0))", { dataDurability: 'preferred', standbyNamesPre: ['a'] }, false],
    ["size(self) <= 2 && 'a' in self", ['a', 'b'], true],
    ["self.x > 1 ? self.x < 10 : true", { x: 20 }, false],
  ])('%s on %j gives %s', (rule, self, expected) => {
    const fn = compileCelRule(rule);
    expect(fn).toBeDefined();
    expect(fn!(self)).toBe(expected);
  });

  it('skips transition rules (oldSelf) and unsupported syntax', () => {
    expect(compileCelRule('self == oldSelf')).toBeUndefined();
    expect(compileCelRule('self.map(k, v, v > 0)')).toBeDefined();
    expect(compileCelRule('quantity(self).isGreaterThan(quantity("1Gi"))')).toBeDefined();
    expect(compileCelRule('quantity(self).isGreaterThan(quantity("1Gi"))')!('2Gi')).toBeUndefined();
    expect(compileCelRule('self @ 1')).toBeUndefined();
  });

  it('leaves type errors undecided instead of failing', () => {
    expect(compileCelRule('self > 0')!('text')).toBeUndefined();
    expect(compileCelRule("self.matches('(?i)abc')")!('ABC')).toBeUndefined();
    expect(compileCelRule("self.matches('^a+$')")!('aaa')).toBe(true);
  });
});
