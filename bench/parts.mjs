// The benchmark's parts beyond the core client requests, in the order they run. Each
// module's default export is { name, title, prepare?(dataSet, opts), run(ctx) }:
//   prepare  adds rows the part needs to a freshly loaded data set (before any timing);
//   run      gets { quick, runs, warmup, profile, dataSets, resultsDir, adminQuery } and
//            returns { verdicts: [{ target, value, pass }], markdown: [lines], failures: [text], data }.
// In --quick mode verdicts are not judged (small data, no timings), but failures are.
import jobSearch from './parts/job-search.mjs';
import load from './parts/load.mjs';
import pdf from './parts/pdf.mjs';
import retention from './parts/retention.mjs';
import tracker from './parts/tracker.mjs';
import bulkImport from './parts/bulk-import.mjs';
import capacity from './parts/capacity.mjs';

export const benchParts = [load, pdf, retention, jobSearch, capacity, tracker, bulkImport];
