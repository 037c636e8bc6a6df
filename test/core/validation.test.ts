import { Testing, Chart } from 'cdk8s';
import * as fc from 'fast-check';
import { checkImage, checkInteger, checkName, checkQuantity, parseImage, parseQuantity, Problems, ValidationError } from '../../lib/core';

function problems(): Problems {
  return new Problems(new Chart(Testing.app(), 'chart'), 'Thing');
}

describe('ValidationError', () => {
  it('reports every problem of a construct together, with path, field, value and fix', () => {
    const p = problems();
    checkName(p, 'name', 'Bad_Name');
    checkQuantity(p, 'storage.size', '10GB', '10Gi');
    expect(() => p.throwIfAny()).toThrow(ValidationError);
    try {
      p.throwIfAny();
    } catch (e) {
      const err = e as ValidationError;
      expect(err.constructPath).toBe('chart');
      expect(err.fields).toEqual(['name', 'storage.size']);
      expect(err.message).toContain("Invalid Thing at 'chart'");
      expect(err.message).toContain('storage.size: is not a Kubernetes quantity (got "10GB"). Fix:');
    }
  });

  it('does not throw when nothing is wrong', () => {
    const p = problems();
    checkName(p, 'name', 'orders');
    expect(p.empty).toBe(true);
    expect(() => p.throwIfAny()).not.toThrow();
  });
});

describe('names', () => {
  it.each([
    ['orders', 'default', true],
    ['a'.repeat(63), 'default', true],
    ['a'.repeat(64), 'default', false],
    ['a'.repeat(52), 'statefulSet', true],
    ['a'.repeat(53), 'statefulSet', false],
    ['1db', 'service', false],
    ['1db', 'default', true],
    ['Orders', 'default', false],
    ['orders-', 'default', false],
    ['', 'default', false],
    ['or_ders', 'default', false],
  ] as const)('%s as %s → valid %s', (name, kind, valid) => {
    const p = problems();
    expect(checkName(p, 'name', name, kind)).toBe(valid);
    expect(p.empty).toBe(valid);
  });
});

describe('quantities', () => {
  it.each([
    ['10Gi', 10 * 2 ** 30], ['512Mi', 512 * 2 ** 20], ['500m', 0.5], ['2', 2], ['1.5Gi', 1.5 * 2 ** 30], ['10G', 1e10],
  ])('parses %s', (text, value) => expect(parseQuantity(text)).toBeCloseTo(value));

  it.each(['10GB', '-1Gi', 'Gi', '', '1 Gi', '1e3x'])('rejects %s', text => {
    expect(parseQuantity(text)).toBeUndefined();
    const p = problems();
    expect(checkQuantity(p, 'size', text, '1Gi')).toBeUndefined();
    expect(p.empty).toBe(false);
  });

  it('rejects zero', () => {
    const p = problems();
    expect(checkQuantity(p, 'size', '0Gi', '1Gi')).toBeUndefined();
    expect(p.empty).toBe(false);
  });

  it('round-trips any generated binary quantity', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 100000 }), fc.constantFrom('Ki', 'Mi', 'Gi', 'Ti'), (n, unit) => {
      const factor = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 }[unit];
      expect(parseQuantity(`${n}${unit}`)).toBe(n * factor);
    }));
  });

  it.each([[0, false], [1, true], [-1, false], [1.5, false], ['3', false]])('integer %p ≥ 1 → %p', (value, ok) => {
    const p = problems();
    expect(checkInteger(p, 'n', value, 1)).toBe(ok);
  });
});

describe('images', () => {
  it.each([
    ['mysql:8.4.6', { repository: 'mysql', tag: '8.4.6' }],
    ['registry.local:5000/team/mysql:8.0.43', { repository: 'registry.local:5000/team/mysql', tag: '8.0.43' }],
    [`mysql:8.4.6@sha256:${'a'.repeat(64)}`, { repository: 'mysql', tag: '8.4.6', digest: `sha256:${'a'.repeat(64)}` }],
  ])('parses %s', (image, parts) => {
    expect(parseImage(image)).toEqual(expect.objectContaining(parts));
    const p = problems();
    expect(checkImage(p, 'image', image, 'mysql:8.4.6')).toBeDefined();
    expect(p.empty).toBe(true);
  });

  it.each(['mysql', 'mysql:latest', 'registry.local:5000/mysql', '', 'my sql:8', `mysql:8@sha256:abc`])('rejects %p', image => {
    const p = problems();
    expect(checkImage(p, 'image', image, 'mysql:8.4.6')).toBeUndefined();
    expect(p.empty).toBe(false);
  });
});
