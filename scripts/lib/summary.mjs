// The closing summary of npm test: one line per suite, then "N passed, N failed" over
// all of them. A test that never ran (its file did not load, its setup failed, or it
// was skipped) is reported and counted as failed: the project has no skipped tests, so
// one that did not run is one whose result nobody knows.
export function summarise(results) {
  const lines = results.map((r) => {
    const notRun = r.notRun ?? 0;
    const mark = r.failed || notRun ? '✗' : '✓';
    return `  ${mark} ${r.suite}: ${r.passed} passed, ${r.failed} failed${notRun ? `, ${notRun} never ran` : ''}`;
  });
  const passed = results.reduce((sum, r) => sum + r.passed, 0);
  const notRun = results.reduce((sum, r) => sum + (r.notRun ?? 0), 0);
  const failed = results.reduce((sum, r) => sum + r.failed, 0) + notRun;
  if (notRun) lines.push(`${notRun} test(s) never ran and count as failed.`);
  lines.push(`${passed} passed, ${failed} failed`);
  return { lines, passed, failed };
}

// One line for CI logs: how long each stage of npm test took, and the whole run.
export function stageLine(stages, totalSeconds) {
  const format = (seconds) => (seconds >= 60 ? `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s` : `${seconds.toFixed(1)}s`);
  return `Stages: ${stages.map(({ stage, seconds }) => `${stage} ${format(seconds)}`).join(' · ')} · total ${format(totalSeconds)}`;
}
