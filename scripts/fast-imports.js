#!/usr/bin/env node
/*
 * Rewrites the undefined-value filter of the files `cdk8s import` generates in imports/ (run by
 * `npm run import`). The generated filter, `Object.entries(x).reduce((r, i) => ... ({ ...r, [k]: v }), {})`,
 * copies the object once per key; rendering spends a good part of its time there. The rewrite calls
 * a loop over the same keys in the same order with the same test, so the JSON is the same.
 */
const fs = require('fs');
const path = require('path');

const dir = path.resolve(__dirname, '..', 'imports');
const FILTER = /Object\.entries\(([\w.]+|\(obj\.\w+\))\)\.reduce\(\(r, i\) => \(i\[1\] === undefined\) \? r : \(\{ \.\.\.r, \[i\[0\]\]: (.*?) \}\), \{\}\)/g;
const HELPER = `
/** The entries of \`o\` whose value is not undefined, converted by \`convert\`, in key order (the import's filter, as a loop). */
function definedOnly(o: { [key: string]: any }, convert: (value: any) => any = value => value): any {
  const result: { [key: string]: any } = {};
  for (const key of Object.keys(o)) {
    const value = o[key];
    if (value !== undefined) result[key] = convert(value);
  }
  return result;
}
`;

for (const name of fs.readdirSync(dir).filter(file => file.endsWith('.ts'))) {
  const file = path.join(dir, name);
  const source = fs.readFileSync(file, 'utf8');
  if (source.includes('function definedOnly(')) continue;
  const rewritten = source.replace(FILTER, (_, object, value) =>
    value === 'i[1]' ? `definedOnly(${object})` : `definedOnly(${object}, v => ${value.replace(/i\[1\]/g, 'v').replace(/\.map\(y => /g, '.map((y: any) => ')})`);
  if (/\.reduce\(\(r, i\)/.test(rewritten)) throw new Error(`${name}: a filter of another shape is left; extend scripts/fast-imports.js`);
  fs.writeFileSync(file, rewritten + HELPER);
}
