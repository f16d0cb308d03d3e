// node scripts/demo-model.mjs PORT — the local demo model (scripts/lib/demo-model.mjs) as
// a background process of a local stack; `npm start` runs it when no model is configured
// and `npm stop` ends it.
import { demoModelName, startDemoModel } from './lib/demo-model.mjs';

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error('usage: node scripts/demo-model.mjs PORT');
  process.exit(2);
}
const server = await startDemoModel(port);
// The scripted server keeps every request for the tests that read them; a long-running
// demo keeps none.
setInterval(() => { server.requests.length = 0; }, 60_000).unref();
console.log(`${demoModelName} listening on ${server.baseUrl}`);
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.stop().then(() => process.exit(0)));
