import { Duration } from 'cdk8s';
import { Cron } from 'cdk8s';
import { MySqlSingleNode } from '../../lib/mysql';
import { ValidationError } from '../../lib/core/errors';
import { testChart } from '../support/synth';

/** Inputs the cluster refuses or breaks on later: each a synth error naming field, value and fix. */
const ROOT = { secretName: 'mysql-root', key: 'password' };

const rows: [string, () => void, RegExp][] = [
  ['MySQL partOf with spaces', () => new MySqlSingleNode(testChart('t'), 'db', { rootPassword: ROOT, partOf: 'my shop!' }), /partOf: .*label value[\s\S]*"my shop!"/],
  ['MySQL partOf too long', () => new MySqlSingleNode(testChart('t'), 'db', { rootPassword: ROOT, partOf: 'a'.repeat(64) }), /partOf/],
  ['MySQL backup time zone Mars/Olympus', () => new MySqlSingleNode(testChart('t'), 'db', {
    rootPassword: ROOT, database: 'shop',
    logicalBackup: { schedule: Cron.schedule({ minute: '0', hour: '3' }), timeZone: 'Mars/Olympus', timeout: Duration.hours(1) },
  } as any), /timeZone: is not an IANA time zone/],
];

describe('accepted-but-wrong inputs become synth errors', () => {
  it.each(rows)('%s', (_name, make, message) => {
    expect(make).toThrow(ValidationError);
    expect(make).toThrow(message);
  });
});
