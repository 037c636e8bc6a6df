import * as fs from 'fs';
import * as path from 'path';
import { CHECKS } from '../../lib/verify';

const ROOT = path.resolve(__dirname, '..', '..');
const doc = fs.readFileSync(path.join(ROOT, 'docs', 'checks.md'), 'utf8');

/** Finding ids the safety rules can raise, read from their sources. */
function safetyIds(): string[] {
  const dir = path.join(ROOT, 'lib', 'safety');
  const ids = new Set<string>();
  for (const file of fs.readdirSync(dir).filter(f => f.startsWith('rules-'))) {
    // `id: 'x'` and `id: cond ? 'x' : 'y'`
    for (const m of fs.readFileSync(path.join(dir, file), 'utf8').matchAll(/\bid: (?:[^'\n]*\? )?'([a-z0-9-]+)'(?: : '([a-z0-9-]+)')?/g)) {
      ids.add(m[1]);
      if (m[2]) ids.add(m[2]);
    }
  }
  return [...ids];
}

describe('docs/checks.md', () => {
  it('has an anchor for every verification check id (the reports link to them)', () => {
    expect(CHECKS.map(c => c.id).filter(id => !doc.includes(`<a id="${id}"></a>`))).toEqual([]);
  });

  it('has an anchor for every data-safety finding id', () => {
    const ids = safetyIds();
    expect(ids.length).toBeGreaterThan(30);
    expect(ids.filter(id => !doc.includes(`<a id="${id}"></a>`))).toEqual([]);
  });
});
