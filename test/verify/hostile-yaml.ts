/**
 * A generated manifest set of a few hundred objects written as hostile YAML: scalars that YAML 1.1
 * and 1.2 read differently, duplicate keys, merge keys, anchors and aliases, explicit tags,
 * directives, flow and complex keys, empty documents and broken syntax, mixed with ordinary
 * objects. The reading-equivalence tests compare the findings on it with a snapshot taken before
 * the readers were made faster.
 */

/** A small seeded generator, so the set is the same on every run. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Plain scalars whose reading depends on the YAML version or schema. */
const AMBIGUOUS = [
  'yes', 'no', 'on', 'off', 'y', 'n', 'Y', 'N', 'Yes', 'NO', 'True', 'FALSE', '~', 'null', 'Null', '',
  '0755', '0o17', '0x1F', '0b101', '1_000', '12:30', '190:20:30', '1:2:3.5', '2001-12-14', '2001-12-14t21:59:43.10-05:00',
  '.inf', '-.Inf', '.NaN', '1e3', '+12', '-0', '0.5', '.5', '1.', '+.5e-3', '08', '09.5', '123456789012345678901234567890',
  '=', '<<', '3.', '0', '-1_000.5', '1,000', 'v1', 'true', 'false',
  '0e0', '1__0', '0x_1', '+.inf', '.Inf', '1e400', '-0.0', '0o', '0b', '@at', '`tick', 'a:b', ':x', '-', '--', '- -1', 'a #b', 'a#b',
];

function configMap(name: string, ns: string, value: string): string {
  return [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${ns}`,
    '  labels:',
    `    app.kubernetes.io/name: ${name}`,
    'data:',
    `  plain: ${value}`,
    `  quoted: "${value}"`,
    '',
  ].join('\n');
}

function deployment(name: string, ns: string, extra: string): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${ns}`,
    'spec:',
    '  replicas: 2',
    '  selector:',
    '    matchLabels:',
    `      app: ${name}`,
    '  template:',
    '    metadata:',
    '      labels:',
    `        app: ${name}`,
    '    spec:',
    '      automountServiceAccountToken: false',
    '      containers:',
    '        - name: app',
    '          image: registry.example/app:1.2.3@sha256:' + '0'.repeat(64),
    '          args: ["--port", "8080", "*"]',
    '          command:',
    '            - /bin/sh',
    '            - -c',
    '            - |',
    '              #!/bin/sh',
    '              [ -n "$X" ] && echo "a: b" || echo \'*x\'',
    extra,
    '',
  ].join('\n');
}

/** Variants of one object's text, each hostile in its own way. */
const VARIANTS: Array<(name: string, ns: string, pick: <T>(xs: readonly T[]) => T) => string> = [
  (n, ns, pick) => configMap(n, ns, pick(AMBIGUOUS)),
  (n, ns, pick) => configMap(n, ns, `${pick(AMBIGUOUS)}`).replace('data:\n', `data:\n  ${pick(AMBIGUOUS) || 'k'}: ${pick(AMBIGUOUS)}\n`),
  (n, ns) => configMap(n, ns, 'a').replace('  plain: a\n', '  plain: a\n  plain: b\n'),
  (n, ns) => `${configMap(n, ns, 'x')}  base: &base {a: "1", b: "2"}\n  merged:\n    <<: *base\n    c: "3"\n`,
  (n, ns) => configMap(n, ns, 'x').replace('metadata:\n', 'metadata: &meta\n') + 'copy: *meta\n',
  (n, ns) => configMap(n, ns, '!!str 0755'),
  (n, ns) => configMap(n, ns, '!!binary aGVsbG8='),
  (n, ns) => configMap(n, ns, '!!timestamp 2001-12-14'),
  (n, ns) => configMap(n, ns, '!local x'),
  (n, ns) => configMap(n, ns, '! 12'),
  (n, ns) => `%YAML 1.1\n---\n${configMap(n, ns, 'on')}`,
  (n, ns) => configMap(n, ns, 'x').replace('data:\n', 'data: {z: yes, "w": 1, v: [1, 2]}\nother:\n'),
  (n, ns) => `${configMap(n, ns, 'x')}complex:\n  ? [a, b]\n  : c\n  [d]: e\n`,
  (n, ns) => `${configMap(n, ns, 'x')}nullkey:\n  ~: a\n  null: b\n`,
  (n, ns) => `${configMap(n, ns, 'x')}proto:\n  __proto__: {polluted: "1"}\n`,
  (n, ns) => configMap(n, ns, '"unterminated'),
  (n, ns) => configMap(n, ns, 'a: b: c'),
  (n, ns) => `${configMap(n, ns, 'x')}\ttabbed: 1\n`,
  (n, ns) => `${configMap(n, ns, 'x')}folded: >\n  one\n  two\n\n  three\nliteral: |-\n  keep\n   indent\n`,
  (n, ns) => `${configMap(n, ns, 'multi\n    line plain\n    scalar')}`,
  (n, ns) => `${configMap(n, ns, 'x')}...\n`,
  (n, ns) => `# only a comment\n---\n${configMap(n, ns, 'x')}---\n`,
  (n, ns) => `${configMap(n, ns, 'x')}---\n# nothing here\n`,
  (n, ns) => `[1, 2, 3]\n`,
  (n, ns) => `just a string ${n}\n`,
  (n, ns) => `${configMap(n, ns, 'x')}list: &l [1, 2]\nagain: [*l, *l]\n`,
  (n, ns) => `${configMap(n, ns, 'x')}merges:\n  - &a {x: 1}\n  - &b {y: 2}\n  - <<: [*a, *b]\n    z: 3\n`,
  (n, ns) => `${configMap(n, ns, 'x')}"quoted key": 'single ''quoted'''\nescape: "\\t\\u00e9\\x41"\n`,
  (n, ns) => deployment(n, ns, '          env:\n            - name: A\n              value: on\n            - name: B\n              value: "0755"'),
  (n, ns) => deployment(n, ns, '          ports:\n            - containerPort: 0x1F90\n              name: http'),
  (n, ns) => deployment(n, ns, '          resources:\n            limits: {cpu: 1, memory: 1Gi}'),
  (n, ns) => deployment(n, ns, '          env: []'),
  (n, ns) => deployment(n, ns, '          env:\n            - name: A\n              name: B'),
  (n, ns) => `apiVersion: v1\nkind: List\nitems:\n  - ${configMap(`${n}-a`, ns, 'yes').split('\n').join('\n    ').trimEnd()}\n`,
  (n, ns) => configMap(n, ns, 'x').replace('kind: ConfigMap', 'kind: ConfigMap\nkind: Secret'),
  (n, ns) => configMap(n, ns, 'x').replace(`  name: ${n}\n`, '  name:\n'),
  (n, ns) => `\uFEFF${configMap(n, ns, 'x')}`,
  (n, ns) => configMap(n, ns, 'x').replace(/\n/g, '\r\n'),
  (n, ns) => `${configMap(n, ns, 'x')}deep: ${'['.repeat(40)}${']'.repeat(40)}\n`,
  (n, ns) => `${configMap(n, ns, 'x')}q: "x"#c\nr: 'a'b\n`,
  (n, ns) => `${configMap(n, ns, 'x')}flow: [a\n  b, c]\nfm: {a, b: c}\nempty: [a, , b]\n`,
  (n, ns) => `${configMap(n, ns, 'x')}seq:\n- a\n- b\nbad: - a\n`,
  (n, ns) => `${configMap(n, ns, 'x')}${'k'.repeat(1100)}: long\n`,
  (n, ns) => `${configMap(n, ns, 'x')}esc: "\\U0001F600 \\N \\_ \\L \\P \\e"\nbadesc: "\\q"\n`,
  (n, ns) => `${configMap(n, ns, 'x')}keep: >+\n  a\n\nind: |2\n    two\nstrip: |- \n  s\n`,
  (n, ns) => `--- {apiVersion: v1, kind: ConfigMap, metadata: {name: ${n}, namespace: ${ns}}, data: {a: on}}\n`,
  (n, ns) => `${configMap(n, ns, 'x')}spaced   : v\n"key": !!null ''\n`,
  (n, ns) => `${configMap(n, ns, 'x')}crlf: |\r\n  a\r\n  b\r\n`,
  (n, ns) => `${configMap(n, ns, 'x')}indent:\n  a: 1\n   b: 2\n`,
  (n, ns) => `${configMap(n, ns, 'x')}multi: "a\n  b"\nsq: 'c\n\n  d'\n`,
  (n, ns) => `${configMap(n, ns, 'x')}trailing: x   \n  # comment\nafter: y\n`,
  (n, ns) => `${configMap(n, ns, 'x')}plainmulti: a\n  b: c\n`,
  (n, ns) => `${configMap(n, ns, 'x')}k: v\n---\n---\n${configMap(`${n}-b`, ns, 'y')}`,
];

/** Files of the hostile set: name to text. Ordinary objects are mixed in between the hostile ones. */
export function hostileFiles(seed = 13, objects = 300): Record<string, string> {
  const rnd = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const files: Record<string, string[]> = {};
  for (let i = 0; i < objects; i++) {
    const ns = `ns${i % 4}`;
    const name = `obj-${i}`;
    const file = `f${i % 23}.yaml`;
    // Every variant once (so each is covered), then a random mix with ordinary objects.
    const text = i < VARIANTS.length ? VARIANTS[i](name, ns, pick)
      : rnd() < 0.5 ? configMap(name, ns, `value-${i}`) : pick(VARIANTS)(name, ns, pick);
    (files[file] ??= []).push(text);
  }
  // A file per variant alone, so that one broken document does not hide the others from the readers.
  VARIANTS.forEach((v, i) => { files[`alone/v${String(i).padStart(2, '0')}.yaml`] = [v(`alone-${i}`, 'solo', pick)]; });
  return Object.fromEntries(Object.entries(files).map(([f, texts]) => [f, texts.map(t => (t.endsWith('\n') ? t : `${t}\n`)).join('---\n')]));
}
