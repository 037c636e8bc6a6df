import { verifyObjects, verifyYamlText } from '../../lib/verify';

const GOOD = `apiVersion: v1
kind: ConfigMap
metadata:
  name: config
  namespace: shop
data:
  mode: "0777"
  enabled: "yes"
`;

describe('verifyYamlText', () => {
  it('reads a clean multi-document text without findings', () => {
    const { objects, findings } = verifyYamlText(`${GOOD}---\n${GOOD.replace('name: config', 'name: other')}`, 'dist/x.k8s.yaml');
    expect(findings).toEqual([]);
    expect(objects.map(o => o.metadata.name)).toEqual(['config', 'other']);
    expect(objects[0].data.mode).toBe('0777');
  });

  it.each([
    ['a key read as a boolean under YAML 1.1 (on)', 'on: push\n', /"on".*YAML 1\.1/],
    ['an unquoted yes', 'enabled: yes\n', /enabled: YAML 1\.2 reads "yes" \(string\), YAML 1\.1 reads true/],
    ['an unquoted no', 'country: no\n', /country: YAML 1\.2 reads "no"/],
    ['a leading-zero octal', 'mode: 0777\n', /mode: YAML 1\.2 reads 777 \(number\), YAML 1\.1 reads 511/],
    ['digit separators', 'size: 1_000\n', /size: YAML 1\.2 reads "1_000" \(string\), YAML 1\.1 reads 1000/],
    ['a sexagesimal number', 'port: 22:22\n', /port: YAML 1\.2 reads "22:22"/],
    ['a date', 'since: 2024-01-01\n', /timestamp/],
  ])('flags %s', (_name, text, message) => {
    const { findings } = verifyYamlText(`kind: X\nmetadata:\n  name: x\nspec:\n  ${text}`, 'f.yaml');
    expect(findings).toEqual([expect.objectContaining({ check: 'yaml', severity: 'error', origin: 'yamllint', file: 'f.yaml', message: expect.stringMatching(message) })]);
    expect(findings[0].object).toBe('X/x');
  });

  it('flags duplicate keys', () => {
    const { findings } = verifyYamlText('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n');
    expect(findings.map(f => f.check)).toEqual(['yaml']);
    expect(findings[0].message).toMatch(/duplicate key/i);
  });

  it('flags an empty document between two others', () => {
    const { objects, findings } = verifyYamlText(`${GOOD}---\n---\n${GOOD}`);
    expect(findings).toEqual([expect.objectContaining({ check: 'yaml', object: 'document 2', message: expect.stringMatching(/empty document/) })]);
    expect(objects).toHaveLength(2);
  });

  it('flags an empty file', () => {
    expect(verifyYamlText('').findings).toEqual([expect.objectContaining({ check: 'yaml', message: expect.stringMatching(/empty/) })]);
  });

  it('flags a syntax error', () => {
    expect(verifyYamlText('a: [1, 2\n').findings.map(f => f.check)).toContain('yaml');
  });
});

describe('YAML check on objects (verifyObjects)', () => {
  const cm = (data: Record<string, string>) => ({
    apiVersion: 'v1', kind: 'ConfigMap',
    metadata: { name: 'c', namespace: 'shop', labels: { 'app.kubernetes.io/name': 'x', 'app.kubernetes.io/instance': 'x', 'app.kubernetes.io/component': 'x', 'app.kubernetes.io/part-of': 'x', 'app.kubernetes.io/managed-by': 'x' } },
    data,
  });

  it('flags a string that cdk8s writes unquoted (YAML 1.1) but YAML 1.2 reads as a number', () => {
    const report = verifyObjects([cm({ mode: '0o17' })]);
    expect(report.errors).toEqual([expect.objectContaining({ check: 'yaml', object: 'shop/ConfigMap/c', message: expect.stringMatching(/data\.mode: the string "0o17" .* readers read 15/) })]);
  });

  it('accepts strings that the YAML 1.1 writer quotes (yes, 0777, on)', () => {
    expect(verifyObjects([cm({ a: 'yes', b: '0777', c: 'on', d: '1_000', e: '2024-01-01' })]).findings).toEqual([]);
  });
});
