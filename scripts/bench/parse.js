#!/usr/bin/env node
// Floor of the verify and safety rows: read every YAML file under a directory and parse each
// document, nothing else. Usage: parse.js js-yaml|yaml <dir>
const { readdirSync, readFileSync, statSync } = require('fs');
const { join } = require('path');

function files(dir) {
  return readdirSync(dir).sort().flatMap(name => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

const PARSERS = {
  'js-yaml': () => {
    const jsYaml = require('js-yaml');
    // js-yaml 3 parses plain data with safeLoadAll; version 4 renamed it loadAll.
    const major = Number(require('js-yaml/package.json').version.split('.')[0]);
    return text => (major >= 4 ? jsYaml.loadAll(text) : jsYaml.safeLoadAll(text));
  },
  yaml: () => {
    const { parseAllDocuments } = require('yaml');
    return text => parseAllDocuments(text).map(doc => doc.toJS());
  },
};

const [parser, dir] = process.argv.slice(2);
const parse = PARSERS[parser]();
let documents = 0;
for (const file of files(dir)) documents += parse(readFileSync(file, 'utf8')).filter(d => d !== null && d !== undefined).length;
process.stdout.write(JSON.stringify({ documents }) + '\n');
