import { App, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { CassandraRack, Warnings } from '../../lib';

function capture(run: () => void): string {
  const write = process.stderr.write;
  let text = '';
  process.stderr.write = ((chunk: any) => { text += String(chunk); return true; }) as any;
  try {
    run();
  } finally {
    process.stderr.write = write;
  }
  return text;
}

describe('construct warnings', () => {
  it('are printed once at synth, naming the construct path and the id', () => {
    const chart = new Chart(Testing.app(), 'data', { namespace: 'data' });
    new CassandraRack(chart, 'events', { zone: 'eu-west-1a', authentication: false });
    const first = capture(() => Testing.synth(chart));
    expect(first).toBe("[cdk8s-data warning] data/events: authentication is off (AllowAllAuthenticator): any pod allowed by the NetworkPolicy can read and change all data; use it for development only (cassandra-authentication-off; silence with Warnings.of(construct).silence('cassandra-authentication-off', reason))\n");
    expect(capture(() => Testing.synth(chart))).toBe('');
  });

  it('are available to tests, with the silenced ones marked', () => {
    const chart = new Chart(Testing.app(), 'data', { namespace: 'data' });
    const rack = new CassandraRack(chart, 'events', { zone: 'eu-west-1a', authentication: false, disruptionBudget: false });
    expect(Warnings.of(rack).active.map(w => w.id)).toEqual(['cassandra-authentication-off', 'cassandra-disruption-budget-off']);
    Warnings.of(chart).silence('cassandra-disruption-budget-off', 'two-node test ring');
    expect(Warnings.collect(chart)).toEqual([
      expect.objectContaining({ id: 'cassandra-authentication-off', path: 'data/events' }),
      expect.objectContaining({ id: 'cassandra-disruption-budget-off', silencedBecause: 'two-node test ring' }),
    ]);
    expect(Warnings.of(rack).active.map(w => w.id)).toEqual(['cassandra-authentication-off']);
  });

  it('a silenced warning is not printed; silencing needs a reason', () => {
    const app = new App({ outdir: require('os').tmpdir() });
    const chart = new Chart(app, 'data', { namespace: 'data' });
    const rack = new CassandraRack(chart, 'events', { zone: 'eu-west-1a', authentication: false });
    Warnings.of(rack).silence('cassandra-authentication-off', 'local development cluster');
    expect(capture(() => app.synthYaml())).toBe('');
    expect(() => Warnings.of(rack).silence('cassandra-authentication-off', ' ')).toThrow(/give a reason/);
  });

  it('a construct of the user can raise its own', () => {
    const chart = new Chart(Testing.app(), 'app');
    const mine = new Construct(chart, 'mine');
    Warnings.of(mine).add('my-check', 'something to look at');
    expect(capture(() => Testing.synth(chart))).toMatch(/^\[cdk8s-data warning\] app\/mine: something to look at \(my-check;/);
  });
});
