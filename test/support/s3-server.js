// Runs s3rver (a fake S3 server in Node) on a loopback port with the buckets named on the command
// line, and prints the port once it listens. Started as a child process by test/support/s3.ts, so
// tests can run S3 clients synchronously without blocking the server.
const S3rver = require('s3rver');

const [directory, ...buckets] = process.argv.slice(2);
new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true, configureBuckets: buckets.map(name => ({ name })) })
  .run()
  .then(address => process.stdout.write(`${address.port}\n`), error => { console.error(error); process.exit(1); });
