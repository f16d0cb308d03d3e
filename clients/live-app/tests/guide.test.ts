// docs/migrating-the-app.md names every call the module offers beside the live call it
// replaces, so a function added to createLiveAppApi without a row in the guide fails here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLiveAppApi } from '../src/index.ts';

const guide = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'migrating-the-app.md'), 'utf8');
const api = createLiveAppApi({} as never);
const calls = Object.entries(api).flatMap(([object, value]) =>
  typeof value === 'function' ? [object] : Object.keys(value).map((fn) => `${object}.${fn}`),
);

describe('docs/migrating-the-app.md', () => {
  it.each(calls)('has a row for %s', (call) => {
    expect(guide).toContain(`\`${call}(`);
  });

  it('leaves the production cut-over to docs/upgrading.md under its own heading', () => {
    expect(guide).toMatch(/^## Cutting over the production database$/m);
    expect(guide).toContain('docs/upgrading.md');
  });
});
