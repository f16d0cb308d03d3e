// The examples of README.md and docs/**/*.md as programs: every fenced sh/bash and js/ts
// block of a document, in document order, becomes one Node module (one per document),
// run with plain `node` from a folder inside the checkout (so that
// `@supabase/supabase-js` resolves to the pinned 2.105.1 and `npm run …` finds the
// project). How a block runs:
//
// - a shell block: `bash` with `set -euo pipefail`, after the shell variables of the
//   document's earlier shell blocks are restored (a state file); the variables it
//   exports become the process environment of the document's later JS blocks.
// - a JS block: the next piece of the document's one module. Its top-level `const`/`let`
//   become `var`, so that a later block may name a variable an earlier block set (and a
//   block may reuse a name such as `data`); its import lines move to the top, once.
// - an HTTP answer of 400 or more (curl's, or any fetch a JS block makes) fails the
//   block, unless the block's text names that status (an example of an error answer).
// - `xdg-open URL` (no browser here) fetches the page, which must answer 200.
// - a block preceded by `<!-- not run: <reason> -->` is skipped; without a reason, the
//   document fails. Blocks in other languages (sql, jsonc, plain text) are not programs.
//
// Nothing in a block is rewritten otherwise: its URLs, keys and tokens come from
// `npm run -s status` or `npm run -s token` inside the document, as a reader's would.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../scripts/lib/profiles.mjs';

export interface Block {
  file: string;
  line: number;
  lang: 'sh' | 'js';
  code: string;
  notRun: string | null; // the reason, when marked
}

export interface Marked {
  file: string;
  line: number;
  reason: string;
}

const shellLangs = new Set(['sh', 'bash', 'shell']);
const jsLangs = new Set(['js', 'javascript', 'mjs', 'ts', 'typescript']);

// README.md and every Markdown file under docs/, in a stable order.
export function documents(): string[] {
  const underDocs = readdirSync(join(repoRoot, 'docs'), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`);
  return ['README.md', ...underDocs];
}

// The runnable blocks of a document (marked ones included, with their reason) and the
// markers that give no reason.
export function blocksOf(file: string, text = readFileSync(join(repoRoot, file), 'utf8')): { blocks: Block[]; unexplained: Marked[] } {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  const unexplained: Marked[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,}|~{3,})\s*([^\s`]*)(.*)$/.exec(lines[i]);
    if (!open) continue;
    const fence = open[1];
    let end = i + 1;
    while (end < lines.length && !lines[end].startsWith(fence)) end++;
    const info = open[2].toLowerCase();
    const lang = shellLangs.has(info) ? 'sh' : jsLangs.has(info) ? 'js' : null;
    let before = i - 1;
    while (before >= 0 && lines[before].trim() === '') before--;
    const marker = before >= 0 ? /^<!--\s*not run\b:?\s*(.*?)\s*-->\s*$/.exec(lines[before]) : null;
    if (marker && !marker[1]) unexplained.push({ file, line: i + 1, reason: '' });
    if (lang) blocks.push({ file, line: i + 1, lang, code: lines.slice(i + 1, end).join('\n'), notRun: marker ? marker[1] || '' : null });
    i = end;
  }
  return { blocks, unexplained };
}

// Statuses of 400 and more a block names (in its comments or text): the error answers it shows.
export function namedErrorStatuses(code: string): number[] {
  return [...new Set([...code.matchAll(/\b([45]\d\d)\b/g)].map((m) => Number(m[1])))].sort();
}

const shellPrelude = String.raw`
curl() {
  local headers rc=0 code
  headers=$(mktemp)
  command curl -D "$headers" "$@" || rc=$?
  code=$(awk '/^HTTP\// {c = $2} END {print c}' "$headers")
  rm -f "$headers"
  if [ "$rc" -eq 0 ] && [ -n "$code" ] && [ "$code" -ge 400 ] && [[ " $DOC_EXAMPLE_STATUSES " != *" $code "* ]]; then
    echo "curl $*: HTTP $code, which the block does not name" >&2
    return 22
  fi
  return "$rc"
}
xdg-open() { curl -s -o /dev/null "$1"; }
`;

// The whole document as one ES module (see the top of this file).
export function programOf(blocks: Block[], dir: string): string {
  const imports = new Set<string>();
  const body: string[] = [];
  for (const block of blocks) {
    if (block.notRun !== null) continue;
    const where = `${block.file}:${block.line}`;
    const statuses = namedErrorStatuses(block.code);
    if (block.lang === 'sh') {
      body.push(`await __sh(${JSON.stringify(where)}, ${JSON.stringify(block.code)}, ${JSON.stringify(statuses)});`);
      continue;
    }
    const code = block.code
      .split('\n')
      .filter((line) => {
        if (!/^import\s/.test(line)) return true;
        imports.add(line);
        return false;
      })
      .map((line) => line.replace(/^(const|let)(\s)/, 'var$2'))
      .join('\n');
    body.push(`__js(${JSON.stringify(where)}, ${JSON.stringify(statuses)});`, code, `__jsDone();`);
  }
  const helpers = String.raw`
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
const __dir = ${JSON.stringify(dir)};
const __state = __dir + '/shell-state.sh';
let __where = '';
const __envFile = __dir + '/shell-env';
writeFileSync(__state, '');
const __prelude = ${JSON.stringify(shellPrelude)};
async function __sh(where, code, statuses) {
  __where = where;
  process.stderr.write('\n▶ ' + where + '\n');
  const script = [
    'set -euo pipefail',
    '__before=$(compgen -v)',
    'source ' + JSON.stringify(__state),
    __prelude,
    'DOC_EXAMPLE_STATUSES=' + JSON.stringify(statuses.join(' ')),
    code,
    'declare -p $(comm -13 <(echo "$__before" | sort) <(compgen -v | sort) | grep -v -e "^__" -e "^BASH" -e "^DOC_EXAMPLE_STATUSES$") 2>/dev/null | grep -v "^declare -[a-zA-Z]*r" > ' + JSON.stringify(__state + '.next') + ' || true',
    'env -0 > ' + JSON.stringify(__envFile),
  ].join('\n');
  const run = spawnSync('bash', ['-c', script], { cwd: __dir, stdio: ['ignore', 'inherit', 'inherit'], env: process.env });
  if (run.status !== 0) throw new Error(where + ': the shell block failed (exit ' + run.status + ')');
  writeFileSync(__state, readFileSync(__state + '.next'));
  for (const pair of readFileSync(__envFile, 'utf8').split('\0')) {
    const at = pair.indexOf('=');
    if (at > 0 && !pair.startsWith('DOC_EXAMPLE_') && !pair.startsWith('BASH')) process.env[pair.slice(0, at)] = pair.slice(at + 1);
  }
}
const __fail = (error) => {
  process.stderr.write('\n✗ ' + (__where || 'the document') + ': ' + (error?.stack ?? error) + '\n');
  if (__refused.length) process.stderr.write('HTTP answers before it: ' + __refused.join('; ') + '\n');
  process.exit(1);
};
process.on('uncaughtException', __fail);
process.on('unhandledRejection', __fail);
const __fetch = globalThis.fetch;
let __statuses = [];
let __refused = [];
globalThis.fetch = async (input, init) => {
  const response = await __fetch(input, init);
  if (response.status >= 400 && !__statuses.includes(response.status)) {
    const url = new URL(input instanceof Request ? input.url : String(input));
    __refused.push(response.status + ' ' + url.pathname + ': ' + (await response.clone().text()).slice(0, 300));
  }
  return response;
};
function __js(where, statuses) {
  process.stderr.write('\n▶ ' + where + '\n');
  __where = where;
  __statuses = statuses;
  __refused = [];
}
function __jsDone() {
  if (__refused.length) throw new Error(__where + ': HTTP answers the block does not name: ' + __refused.join('; '));
}
`;
  return [...imports, helpers, ...body, ''].join('\n');
}

// Where a document's program and its files (downloads, shell state) live: a folder of
// the stack's (git-ignored) directory, emptied first.
export function workDirFor(stackDir: string, file: string): string {
  const dir = join(stackDir, 'doc-examples', file.replace(/[/.]/g, '_'));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function writeProgram(dir: string, blocks: Block[]): string {
  const path = join(dir, 'examples.mjs');
  writeFileSync(path, programOf(blocks, dir));
  return path;
}
