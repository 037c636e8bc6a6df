/**
 * Tests run from TypeScript sources, transpiled only (by swc); `npm run typecheck` does the
 * type-checking once.
 *
 * Workers: jest's default on a 2-core machine is one worker, which runs every file in band, one
 * after the other. One worker per core (at least two) runs files side by side; not more: the files
 * that start database servers and run scripts against them keep more than one core busy each.
 * A worker whose memory grows past the limit after a file is replaced.
 */
const os = require('os');

const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  transform: {
    '^.+\\.ts$': ['@swc/jest', {
      // The same JavaScript tsc emits for tsconfig.json (ES2022, CommonJS, define semantics for class fields).
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022', transform: { useDefineForClassFields: true } },
      module: { type: 'commonjs' },
      sourceMaps: 'inline',
    }],
  },
  maxWorkers: Math.max(2, cores),
  workerIdleMemoryLimit: '1GB',
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
