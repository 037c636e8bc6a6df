/**
 * Prints one plain closing line, `Tests: N passed, N failed, N skipped`, as the very last line of
 * the run (after jest's own summary), so CI logs state the count in a form any reader can parse.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    // A suite that fails to load has no failed test of its own; count it so the line never reads clean.
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const line = `Tests: ${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped\n`;
    process.once('exit', () => process.stderr.write(line));
  }
}
module.exports = SummaryReporter;
