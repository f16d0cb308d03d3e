// The plain ES module build the extension loads: built with the pinned esbuild, it has
// no import left to resolve and exports createLiveAppApi and the translation helpers.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

describe('the ES module build', () => {
  it('builds dist/live-app.js, self-contained, with the module’s exports', async () => {
    execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'pipe' });
    const file = join(root, 'dist', 'live-app.js');
    const text = readFileSync(file, 'utf8');
    expect(text).not.toMatch(/^\s*import\s/m);
    expect(text).not.toMatch(/\brequire\(/);
    const mod = await import(`${pathToFileURL(file).href}?t=${Date.now()}`);
    expect(typeof mod.createLiveAppApi).toBe('function');
    expect(typeof mod.createExtensionApi).toBe('function');
    expect(mod.statusToApp('applied')).toBe('Applied');
    const api = mod.createLiveAppApi({ auth: {}, functions: {}, from() {}, rpc() {}, storage: {} });
    expect(Object.keys(api).sort()).toEqual([
      'aiApi', 'apiUtils', 'educationApi', 'experienceApi', 'healthCheck', 'jobApi', 'languagesApi',
      'profileApi', 'resumeAiApi', 'resumeBuilderApi', 'skillsApi', 'subscriptionApi', 'templatesApi',
    ]);
  });
});
