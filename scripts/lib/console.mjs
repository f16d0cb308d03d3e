// One line per step, and failures as sentences: what went wrong and what to do next.

export class StackError extends Error {
  constructor(sentence, detail) {
    super(sentence);
    this.name = 'StackError';
    this.detail = detail;
  }
}

export function step(message) {
  process.stdout.write(`• ${message}\n`);
}

export function done(message) {
  process.stdout.write(`  ${message}\n`);
}

// Scripts a person runs end here: a StackError prints its sentence (and the
// output that explains it), anything else is a bug and keeps its stack trace.
export async function runMain(main) {
  try {
    await main();
  } catch (error) {
    if (error instanceof StackError) {
      process.stderr.write(`\n✗ ${error.message}\n`);
      if (error.detail) process.stderr.write(`\n${String(error.detail).trim()}\n`);
      process.exit(1);
    }
    throw error;
  }
}
