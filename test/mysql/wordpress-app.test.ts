import { App } from 'cdk8s';
import { addTo } from '../../apps/mysql-wordpress';
import { verifyObjects } from '../../lib/verify';
import { findObject } from '../support/synth';

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

  it('admits only WordPress (plus the backup job and the scraper) to the database', () => {
    const policy = findObject(manifests, 'NetworkPolicy', 'blog-db');
    const wp = findObject(manifests, 'Deployment', 'wordpress');
    const on3306 = policy.spec.ingress.filter((r: any) => r.ports.some((p: any) => p.port === 3306)).flatMap((r: any) => r.from);
    expect(on3306).toEqual([
      { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'mysql', 'app.kubernetes.io/instance': 'blog-db', 'app.kubernetes.io/component': 'backup' } } },
      { podSelector: { matchLabels: wp.spec.template.metadata.labels } },
    ]);
  });

  it('has backups and metrics', () => {
    expect(findObject(manifests, 'CronJob', 'blog-db-backup').spec.schedule).toBe('30 2 * * *');
    expect(findObject(manifests, 'PodMonitor', 'blog-db')).toBeDefined();
  });
});
