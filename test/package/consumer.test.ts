import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';

const root = resolve(__dirname, '..', '..');

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false' } });
}

/**
 * Packs the library as it would be published, installs the tarball into a fresh project next to
 * the peer dependencies a user brings, imports it by package name and synthesizes a chart.
 */
describe('packed tarball', () => {
  let work: string;
  beforeAll(() => { work = mkdtempSync(join(tmpdir(), 'cdk8s-data-consumer-')); });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('installs, type-checks against its declarations and synthesizes a MySqlSingleNode', () => {
    // npm pack runs the prepack script (jsii, then tsc), so build/ is fresh without compiling here first.
    const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], root))[0];
    const files: string[] = packed.files.map((f: any) => f.path);
    expect(files).toContain('build/lib/index.js');
    expect(files).toContain('build/lib/index.d.ts');
    expect(files).toContain('.jsii');
    // The commands ship as one bundled file each (a command starts a fresh process every time).
    expect(packed.files.filter((f: any) => f.path.startsWith('build/bin/')).map((f: any) => f.path).sort())
      .toEqual(['build/bin/cdk8s-data-safety.js', 'build/bin/cdk8s-data-verify.js']);
    // Verification carries its schema data: nothing to download or point at after install.
    for (const f of ['schemas/kubernetes-1.28.0.json', 'schemas/kubernetes-1.32.0.json', 'schemas/crds/index.json', 'schemas/crds/cnpg-clusters.json']) expect(files).toContain(f);
    // Our own sources and tests stay out; jsii requires the non-jsii runtime dependencies to be bundled.
    const own = files.filter(f => !f.startsWith('node_modules/'));
    expect(own.some(f => f.startsWith('test/') || f.endsWith('.ts') && !f.endsWith('.d.ts'))).toBe(false);
    const bundled = new Set(files.filter(f => f.startsWith('node_modules/')).map(f => f.split('/')[1]));
    for (const dep of ['ajv', 'ajv-formats', 'cron-parser', 'yaml']) expect(bundled).toContain(dep);
    expect(bundled).not.toContain('constructs');

    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
    const version = (name: string) => lock.packages[`node_modules/${name}`].version;
    writeFileSync(join(work, 'package.json'), JSON.stringify({
      name: 'consumer', version: '1.0.0', private: true,
      dependencies: {
        'cdk8s-data': `file:./${packed.filename}`,
        'cdk8s': version('cdk8s'), 'cdk8s-plus-28': version('cdk8s-plus-28'), 'constructs': version('constructs'),
        'typescript': version('typescript'),
      },
    }));
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], work);
    // One copy of `constructs` in the tree: the library must not bring its own.
    expect(run('npm', ['ls', 'constructs', '--all', '--parseable'], work).trim().split('\n')).toHaveLength(1);

    writeFileSync(join(work, 'main.ts'), [
      "import { App, Chart } from 'cdk8s';",
      "import { MySqlSingleNode } from 'cdk8s-data';",
      "const app = new App({ outdir: 'out' });",
      "const chart = new Chart(app, 'shop', { namespace: 'shop' });",
      "const db = new MySqlSingleNode(chart, 'shop-db', { storage: { size: '5Gi' }, rootPassword: { secretName: 'shop-db-root', key: 'password' } });",
      "console.log(db.connection.host);",
      'app.synth();',
      '',
    ].join('\n'));
    writeFileSync(join(work, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'commonjs', target: 'ES2022', skipLibCheck: true, esModuleInterop: true } }));
    run('npx', ['tsc', '-p', 'tsconfig.json'], work);
    const out = run('node', ['main.js'], work);
    expect(out.trim()).toBe('shop-db.shop.svc');
    const yaml = readFileSync(join(work, 'out', 'shop.k8s.yaml'), 'utf8');
    expect(yaml).toContain('kind: PersistentVolumeClaim');
    expect(yaml).toContain('name: shop-db');

    // The exports map: the constructs, the two tools and package.json; nothing else.
    writeFileSync(join(work, 'paths.js'), [
      "const tryRequire = p => { try { require(p); return 'ok'; } catch (e) { return e.code; } };",
      "console.log(JSON.stringify({",
      "  entry: tryRequire('cdk8s-data'), verify: typeof require('cdk8s-data/verify').verifyObjects,",
      "  safety: typeof require('cdk8s-data/safety').compareManifests, pkg: require('cdk8s-data/package.json').name,",
      "  deep: tryRequire('cdk8s-data/build/lib/core/names'), internal: tryRequire('cdk8s-data/lib/core/names'),",
      "}));",
    ].join('\n'));
    // The installed command, with no environment variable and no schema directory beside the project.
    const clean = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
    const verify = execFileSync(join(work, 'node_modules', '.bin', 'cdk8s-data-verify'), ['--json', 'out'], { cwd: work, encoding: 'utf8', env: clean });
    expect(JSON.parse(verify)).toEqual(expect.objectContaining({ status: 'passed', errors: 0 }));
    const safety = execFileSync(join(work, 'node_modules', '.bin', 'cdk8s-data-safety'), ['--format', 'json', 'out', 'out'], { cwd: work, encoding: 'utf8', env: clean });
    expect(JSON.parse(safety)).toEqual(expect.objectContaining({ ok: true }));

    expect(JSON.parse(run('node', ['paths.js'], work))).toEqual({
      entry: 'ok', verify: 'function', safety: 'function', pkg: 'cdk8s-data',
      deep: 'ERR_PACKAGE_PATH_NOT_EXPORTED', internal: 'ERR_PACKAGE_PATH_NOT_EXPORTED',
    });
  }, 240000);
});
