import { App } from 'cdk8s';
import { addTo } from '../../apps/mysql-wordpress';
import { verifyObjects } from '../../lib/verify';
import { findObject } from '../support/synth';
import { expectProductionShaped, INGRESS_CONTROLLER } from './support/stateless';

describe('example app mysql-wordpress', () => {
  const app = new App({ outdir: '/tmp/unused' });
  addTo(app);
  const chart = app.charts.find(c => c.node.id === 'mysql-wordpress')!;
  const manifests = chart.toJson();

  it('verifies with zero errors and no warnings', () => {
    const report = verifyObjects(manifests);
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
  });

  it('WordPress is production-shaped: spread replicas, PDB, Service, FastCGI only from the ingress controller', () => {
    expectProductionShaped(manifests, 'wordpress', { name: 'fastcgi', number: 9000, containerPort: 9000 }, [INGRESS_CONTROLLER]);
  });

  it('puts everything in namespace blog', () => {
    expect(chart.namespace).toBe('blog');
    for (const m of manifests) expect(m.metadata.namespace).toBe('blog');
  });

  it('wires WordPress to the database through connection info and secretKeyRef', () => {
    const wp = findObject(manifests, 'Deployment', 'wordpress');
    const env = wp.spec.template.spec.containers[0].env;
    expect(env).toEqual([
      { name: 'WORDPRESS_DB_HOST', value: 'blog-db.blog.svc:3306' },
      { name: 'WORDPRESS_DB_NAME', value: 'wordpress' },
      { name: 'WORDPRESS_DB_USER', valueFrom: { secretKeyRef: { name: 'blog-db-app', key: 'username' } } },
      { name: 'WORDPRESS_DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'blog-db-app', key: 'password' } } },
    ]);
  });

  it('admits only WordPress (plus the backup job, the migration job and the scraper) to the database', () => {
    const policy = findObject(manifests, 'NetworkPolicy', 'blog-db');
    const wp = findObject(manifests, 'Deployment', 'wordpress');
    const migration = manifests.find(m => m.kind === 'Job' && m.metadata.name.startsWith('blog-schema-'));
    const on3306 = policy.spec.ingress.filter((r: any) => r.ports.some((p: any) => p.port === 3306)).flatMap((r: any) => r.from);
    expect(on3306).toEqual([
      { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'mysql', 'app.kubernetes.io/instance': 'blog-db', 'app.kubernetes.io/component': 'backup' } } },
      { podSelector: { matchLabels: migration.spec.template.metadata.labels } },
      { podSelector: { matchLabels: wp.spec.template.metadata.labels } },
    ]);
  });

  it('migrates the blog tables with a Job that takes host, database and credentials from the database', () => {
    const jobs = manifests.filter(m => m.kind === 'Job');
    expect(jobs.map(j => j.metadata.name)).toEqual([expect.stringMatching(/^blog-schema-[0-9a-f]{8}$/)]);
    const env = Object.fromEntries(jobs[0].spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
    expect(env).toEqual(expect.objectContaining({
      DB_HOST: 'blog-db.blog.svc',
      DB_NAME: 'wordpress',
      DB_USER: { secretKeyRef: { name: 'blog-db-app', key: 'username' } },
      MYSQL_PWD: { secretKeyRef: { name: 'blog-db-app', key: 'password' } },
    }));
    const files = findObject(manifests, 'ConfigMap', jobs[0].metadata.name).data;
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['0001_create_newsletter_subscribers.sql', '0002_add_subscriber_confirmation.sql']));
  });

  it('has backups and metrics', () => {
    expect(findObject(manifests, 'CronJob', 'blog-db-backup').spec.schedule).toBe('30 2 * * *');
    expect(findObject(manifests, 'PodMonitor', 'blog-db')).toBeDefined();
  });
});
