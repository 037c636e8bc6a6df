import { compareManifests, parseAcknowledgements, patternMatches } from '../../lib/safety';
import { ACKNOWLEDGE_ANNOTATION } from '../../lib/core/annotations';
import { clone, cnpgCluster, objectStore, pvc, scheduledBackup, statefulSet } from './objects';

const ack = (obj: any, ids: string): any => { obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [ACKNOWLEDGE_ANNOTATION]: ids }; return obj; };

describe('acknowledgement', () => {
  it('turns the named finding on the head object into a note, and only that one', () => {
    const base = [cnpgCluster('orders')];
    const head = clone(base);
    head[0].spec.instances = 1;
    head[0].spec.enableSuperuserAccess = true;
    ack(head[0], 'cnpg-instances-to-one');
    const report = compareManifests(base, head);
    expect(report.blocking.map(f => f.id)).toEqual(['superuser-enabled']);
    expect(report.acknowledged.map(f => f.id)).toEqual(['cnpg-instances-to-one']);
    const acked = report.acknowledged[0];
    expect(acked.severity).toBe('note');
    expect(acked.ruleSeverity).toBe('blocking');
    expect(acked.acknowledgedBy).toContain('Cluster data/orders');
    expect(report.ok).toBe(false);
  });

  it('does not let an acknowledgement on one object cover another', () => {
    const base = [statefulSet('a'), statefulSet('b')];
    const head = clone(base);
    head[0].spec.replicas = 1; head[1].spec.replicas = 1;
    ack(head[0], 'cassandra-replicas-decreased');
    const report = compareManifests(base, head);
    expect(report.blocking.map(f => f.object)).toEqual(['StatefulSet data/b']);
  });

  it('accepts a list with spaces and commas', () => {
    const base = [cnpgCluster('orders')];
    const head = clone(base);
    head[0].spec.instances = 1; head[0].spec.enableSuperuserAccess = true;
    ack(head[0], 'superuser-enabled, cnpg-instances-to-one');
    expect(compareManifests(base, head).ok).toBe(true);
  });

  it('accepts the removal of a companion through the database that stays', () => {
    const base = [cnpgCluster('orders'), scheduledBackup('orders-daily', 'orders')];
    const head = [ack(clone(base[0]), 'backup-removed')];
    const report = compareManifests(base, head);
    expect(report.ok).toBe(true);
    expect(report.acknowledged.map(f => f.id)).toEqual(['backup-removed']);
  });

  it('accepts a removal announced on the base object in an earlier change, unless turned off', () => {
    const base = [ack(pvc('old'), 'data-object-removed')];
    expect(compareManifests(base, []).ok).toBe(true);
    expect(compareManifests(base, [], { acceptBaseAcknowledgements: false }).ok).toBe(false);
  });

  it('does not accept a removal without any acknowledgement', () => {
    const report = compareManifests([pvc('old')], []);
    expect(report.blocking[0].howToAcknowledge).toContain('finding: data-object-removed, object: PersistentVolumeClaim/data/old');
  });

  it('accepts acknowledgements from options (the acknowledgements file)', () => {
    const base = [pvc('old'), objectStore('s')];
    const acks = parseAcknowledgements({ acknowledge: [
      { finding: 'data-object-removed', object: 'PersistentVolumeClaim/data/old', reason: 'exported to s3 on 2026-11-01' },
    ] });
    const report = compareManifests(base, [], { acknowledgements: acks });
    expect(report.blocking.map(f => f.id)).toEqual(['object-store-removed']);
    expect(report.acknowledged[0].acknowledgedBy).toContain('exported to s3');
  });

  it('matches object patterns', () => {
    const c = cnpgCluster('orders');
    expect(patternMatches('Cluster/orders', c)).toBe(true);
    expect(patternMatches('Cluster/data/orders', c)).toBe(true);
    expect(patternMatches('Cluster.postgresql.cnpg.io/data/orders', c)).toBe(true);
    expect(patternMatches('Cluster.example.com/data/orders', c)).toBe(false);
    expect(patternMatches('Cluster/*/orders', c)).toBe(true);
    expect(patternMatches('Cluster/data/*', c)).toBe(true);
    expect(patternMatches('Cluster/other/orders', c)).toBe(false);
    expect(patternMatches('StatefulSet/orders', c)).toBe(false);
    expect(patternMatches('orders', c)).toBe(false);
  });

  it.each([
    [{ acknowledge: 'x' }, /acknowledge:/],
    [{ acknowledge: [{ finding: 'x' }] }, /entry 1 needs/],
    [{ acknowledge: [{ finding: 'x', object: 'a/b/c/d' }] }, /Kind\/name/],
  ])('rejects a malformed acknowledgements file %#', (doc, message) => {
    expect(() => parseAcknowledgements(doc)).toThrow(message);
  });
});
