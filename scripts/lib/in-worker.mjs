// Runs one exported function of a module in a worker thread, so that steps made of
// synchronous commands (psql, the Supabase CLI, pg-delta) can run beside each other:
// npm test builds the grants-off database while the drift gate runs. The function's
// arguments and result are plain data; a StackError comes back as one.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { StackError } from './console.mjs';

export function inWorker(moduleUrl, name, ...args) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { moduleUrl: String(moduleUrl), name, args } });
    let settled = false;
    worker.once('message', (message) => {
      settled = true;
      if (message.ok) resolve(message.value);
      else if (message.stackError) reject(new StackError(message.message, message.detail));
      else reject(Object.assign(new Error(message.message), { stack: message.stack }));
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the worker running ${name} exited with code ${code} and no answer`));
    });
  });
}

if (!isMainThread && workerData?.moduleUrl) {
  const { moduleUrl, name, args } = workerData;
  try {
    const module = await import(moduleUrl);
    parentPort.postMessage({ ok: true, value: await module[name](...args) });
  } catch (error) {
    parentPort.postMessage({
      ok: false,
      stackError: error instanceof StackError,
      message: error.message,
      detail: error.detail === undefined ? undefined : String(error.detail),
      stack: error.stack,
    });
  }
}
