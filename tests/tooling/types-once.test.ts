// gen:types writes each shape the type generator repeats once and names it where it repeats
// (writeEachShapeOnce in scripts/lib/types.mjs). That must change no type: `deno check`
// proves every table's and view's Row/Insert/Update and every function's Args/Returns (and
// Database as a whole) the same type in the generator's own output and in ours, by the
// compiler's identity, not mere assignability; and it must refuse a layout it does not know.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StackError } from '../../scripts/lib/console.mjs';
import { run } from '../../scripts/lib/processes.mjs';
import { repoRoot } from '../../scripts/lib/profiles.mjs';
import { runTypeGenerator, typesFrom, writeEachShapeOnce } from '../../scripts/lib/types.mjs';
import { stack } from '../support/stack';

const deno = join(repoRoot, 'node_modules', '.bin', 'deno');

// Names each member that differs: `Type 'false' is not assignable to type 'true'` under its table's name.
const checkFile = `import type { Database as Generated } from "./generated.ts";
import type { Database as Rewritten } from "./rewritten.ts";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
type Member<T, K extends string> = K extends keyof T ? T[K] : "absent";
type Same<G, R, K extends string> = {
  [Name in keyof G]: Name extends keyof R ? Equal<Member<G[Name], K>, Member<R[Name], K>> : false;
};
type AllSame<T extends { [Name in keyof T]: true }> = T;
type G = Generated["public"];
type R = Rewritten["public"];

export type SameNames = AllSame<{
  Tables: Equal<keyof G["Tables"], keyof R["Tables"]>;
  Views: Equal<keyof G["Views"], keyof R["Views"]>;
  Functions: Equal<keyof G["Functions"], keyof R["Functions"]>;
}>;
export type TableRows = AllSame<Same<G["Tables"], R["Tables"], "Row">>;
export type TableInserts = AllSame<Same<G["Tables"], R["Tables"], "Insert">>;
export type TableUpdates = AllSame<Same<G["Tables"], R["Tables"], "Update">>;
export type Views = AllSame<Same<G["Views"], R["Views"], "Row" | "Insert" | "Update">>;
export type FunctionArgs = AllSame<Same<G["Functions"], R["Functions"], "Args">>;
export type FunctionReturns = AllSame<Same<G["Functions"], R["Functions"], "Returns">>;
export type WholeDatabase = AllSame<{ Database: Equal<Generated, Rewritten> }>;
`;

let dir: string;
let generated: string;
let rewritten: string;
// What each check is given (our types, the generator's) and what the compiler said of it.
type Variant = { ours: string; theirs: string };
let checked: Record<string, { ok: boolean; output: string }>;
let wrong: { fn: string; partialTable: string; insertTable: string };
// The tables written TableOf<Row, optional columns, Relationships>: name, Row column count, optional column count.
let tableOfs: { name: string; columns: number; optional: number }[];

// Every variant in one `deno check`: one compiler start and one load of its libraries,
// which cost as much as a check (three checks took about what one did). Each variant
// has a folder of its own, and each error is the variant's whose folder holds the file it
// is in; output that names no variant's folder fails every variant.
function denoCheckAll(variants: Record<string, Variant>) {
  for (const [name, { ours, theirs }] of Object.entries(variants)) {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'generated.ts'), theirs);
    writeFileSync(join(dir, name, 'rewritten.ts'), ours);
    writeFileSync(join(dir, name, 'check.ts'), checkFile);
  }
  const names = Object.keys(variants);
  const result = run(deno, ['check', '--no-config', '--quiet', ...names.map((name) => `${name}/check.ts`)], { cwd: dir, env: { NO_COLOR: '1' } });
  const output = `${result.stdout}${result.stderr}`;
  const errors = output.split(/^(?=TS\d+ \[ERROR\])/m).filter((block) => /^TS\d+ \[ERROR\]/.test(block));
  const whose = (block: string) => names.find((name) => block.includes(`${join(dir, name)}/`));
  const stray = result.ok ? [] : errors.filter((block) => !whose(block));
  const unexplained = !result.ok && (errors.length === 0 || stray.length > 0);
  return Object.fromEntries(names.map((name) => {
    const own = errors.filter((block) => whose(block) === name).join('');
    return [name, unexplained ? { ok: false, output } : { ok: own === '', output: own }];
  }));
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'types-once-'));
  generated = runTypeGenerator(stack.dbUrl);
  rewritten = typesFrom(generated);
  tableOfs = [...rewritten.matchAll(/^ {6}(\w+): TableOf<\{\n((?: {10}\S.*\n)+) {8}\}, ("\w+"(?: \| "\w+")*), \[/gm)]
    .map((m) => ({ name: m[1], columns: m[2].split('\n').length - 1, optional: m[3].split(' | ').length }));
  // A function's Returns pointed at another table's Row.
  const toRow = /^( {8}Returns: Database\["public"\]\["Tables"\]\[")(\w+)("\]\["Row"\])$/m.exec(rewritten)!;
  const otherTable = [...rewritten.matchAll(/\["Tables"\]\["(\w+)"\]/g)].map((m) => m[1]).find((name) => name !== toRow[2])!;
  const fn = [...rewritten.slice(0, toRow.index).matchAll(/^ {6}(\w+): \{$/gm)].at(-1)![1];
  // TableOf writing each Update as the Insert, not Partial of it: the first table with a column an insert must give differs.
  const partial = /^( {2}Update: )Partial<(InsertOf<Row, Optional>)>$/m.exec(rewritten)!;
  // And a TableOf whose first optional column is no longer named optional.
  const insertOf = /^( {8}\}, )"\w+" \| (.*)$/m.exec(rewritten)!;
  const insertTable = [...rewritten.slice(0, insertOf.index).matchAll(/^ {6}(\w+): TableOf<\{$/gm)].at(-1)![1];
  wrong = { fn, partialTable: tableOfs.find((table) => table.optional < table.columns)!.name, insertTable };
  checked = denoCheckAll({
    rewritten: { ours: rewritten, theirs: generated },
    wrongTable: { ours: rewritten.replace(toRow[0], `${toRow[1]}${otherTable}${toRow[3]}`), theirs: generated },
    notPartial: { ours: rewritten.replace(partial[0], `${partial[1]}${partial[2]}`), theirs: generated },
    oneLessOptional: { ours: rewritten.replace(insertOf[0], `${insertOf[1]}${insertOf[2]}`), theirs: generated },
    sample: { ours: writeEachShapeOnce(sample), theirs: sample },
    sampleNoOptional: { ours: writeEachShapeOnce(sampleNoOptional), theirs: sampleNoOptional },
  });
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the rewritten types against the generator\'s', () => {
  it('rewrites repeated shapes (else this proves nothing)', () => {
    expect(rewritten.split('\n').filter((line) => line.startsWith('type TableOf<Row, Optional extends keyof Row, Relationships> = {'))).toHaveLength(1);
    expect(rewritten).toMatch(/^ {8}\}, "\w+"( \| "\w+")*, \[\]>$/m);
    expect(rewritten).toMatch(/^ {8}\}, "\w+"( \| "\w+")*, \[\n {10}\{\n {12}foreignKeyName: "\w+"$/m);
    // Tables with a column an insert must give, and tables whose every column is optional (Update = Insert).
    expect(tableOfs.some((table) => table.optional < table.columns)).toBe(true);
    expect(tableOfs.some((table) => table.optional === table.columns)).toBe(true);
    expect(rewritten).toMatch(/^ {8}Returns: Database\["public"\]\["Tables"\]\["\w+"\]\["Row"\]$/m);
    expect(rewritten.split('\n').length).toBeLessThan(generated.split('\n').length);
  });

  it('every Row, Insert, Update, view, Args and Returns is the same type', () => {
    const { ok, output } = checked.rewritten;
    expect(output).toBe('');
    expect(ok).toBe(true);
  });

  it('a reference to the wrong table, a TableOf whose Update is not Partial, or a TableOf missing an optional column fails the check and is named', () => {
    const wrongTable = checked.wrongTable;
    expect(wrongTable.ok).toBe(false);
    expect(wrongTable.output).toMatch(/FunctionReturns/);
    expect(wrongTable.output).toContain(`Types of property '${wrong.fn}' are incompatible`);

    const notPartial = checked.notPartial;
    expect(notPartial.ok).toBe(false);
    expect(notPartial.output).toMatch(/TableUpdates/);
    expect(notPartial.output).toContain(`Types of property '${wrong.partialTable}' are incompatible`);

    const oneLessOptional = checked.oneLessOptional;
    expect(oneLessOptional.ok).toBe(false);
    expect(oneLessOptional.output).toMatch(/TableInserts/);
    expect(oneLessOptional.output).toContain(`Types of property '${wrong.insertTable}' are incompatible`);
  });
});

const sample = [
  'export type Database = {',
  '  public: {',
  '    Tables: {',
  '      notes: {',
  '        Row: {',
  '          body: string',
  '          id: string',
  '        }',
  '        Insert: {',
  '          body: string',
  '          id?: string',
  '        }',
  '        Update: {',
  '          body?: string',
  '          id?: string',
  '        }',
  '        Relationships: []',
  '      }',
  '    }',
  '    Views: {',
  '      [_ in never]: never',
  '    }',
  '    Functions: {',
  '      add_note: {',
  '        Args: { body: string }',
  '        Returns: {',
  '          body: string',
  '          id: string',
  '        }[]',
  '      }',
  '      count_a: {',
  '        Args: Record<PropertyKey, never>',
  '        Returns: {',
  '          n: number',
  '        }[]',
  '      }',
  '      count_b: {',
  '        Args: Record<PropertyKey, never>',
  '        Returns: {',
  '          n: number',
  '        }[]',
  '      }',
  '      count_c: {',
  '        Args: Record<PropertyKey, never>',
  '        Returns: {',
  '          n: number',
  '        }',
  '      }',
  '    }',
  '    Enums: {',
  '      [_ in never]: never',
  '    }',
  '    CompositeTypes: {',
  '      [_ in never]: never',
  '    }',
  '  }',
  '}',
].join('\n');
// notes with no column an insert may leave out: its Insert is its Row, not InsertOf it, so it keeps its layout.
const sampleNoOptional = sample.replace('          id?: string\n        }\n        Update', '          id: string\n        }\n        Update');

describe('writeEachShapeOnce', () => {
  it('names the first block for a repeat, keeps setof as an array, writes a table as TableOf<its Row, the columns an insert may leave out, its Relationships>', () => {
    const once = writeEachShapeOnce(sample).split('\n');
    expect(once.join('\n')).toContain([
      '      notes: TableOf<{',
      '          body: string',
      '          id: string',
      '        }, "id", []>',
      '    }',
    ].join('\n'));
    expect(once.filter((line) => line.startsWith('type InsertOf<'))).toHaveLength(1);
    expect(once.filter((line) => line.startsWith('type TableOf<'))).toHaveLength(1);
    expect(once.filter((line) => /^ *(Insert|Update):/.test(line))).toEqual(['  Insert: InsertOf<Row, Optional>', '  Update: Partial<InsertOf<Row, Optional>>']);
    expect(once).toContain('        Returns: Database["public"]["Tables"]["notes"]["Row"][]');
    expect(once).toContain('        Returns: Database["public"]["Functions"]["count_a"]["Returns"]');
    expect(once).toContain('        Returns: Database["public"]["Functions"]["count_a"]["Returns"][number]');
    expect(once.filter((line) => line.endsWith('n: number'))).toHaveLength(1);
    // notes 15 lines to 4, add_note's Returns 4 to 1, count_b's and count_c's 3 to 1; InsertOf's 3 lines, TableOf's 7 and a blank added.
    expect(once).toHaveLength(sample.split('\n').length - 11 - 3 - 2 - 2 + 3 + 7 + 1);
    expect(checked.sample).toEqual({ ok: true, output: '' });
  });

  it('keeps a table whose Insert is not InsertOf its Row as it is', () => {
    const once = writeEachShapeOnce(sampleNoOptional);
    expect(once).toContain([
      '      notes: {',
      '        Row: {',
      '          body: string',
      '          id: string',
      '        }',
      '        Insert: Database["public"]["Tables"]["notes"]["Row"]',
      '        Update: Partial<Database["public"]["Tables"]["notes"]["Insert"]>',
      '        Relationships: []',
      '      }',
    ].join('\n'));
    expect(once).not.toContain('TableOf');
    expect(checked.sampleNoOptional).toEqual({ ok: true, output: '' });
  });

  it.each([
    ['a tab for an indent', sample.replace('      notes: {', '\t\t\tnotes: {'), /an indent that is not two spaces a level at line 4/],
    ['a section missing', sample.replace('    Enums: {\n      [_ in never]: never\n    }\n', ''), /does not hold exactly Tables, Views, Functions, Enums, CompositeTypes/],
    ['a member it does not know', sample.replace('        Relationships: []', '        Comment: string'), /a member of Tables.notes is not Row, Insert, Update, Relationships at line 17/],
    ['an indent of three spaces', sample.replace('          id: string\n        }\n        Insert', '          id: string\n         }\n        Insert'), /an indent that is not two spaces a level at line 8/],
    ['a block not closed at its indent', sample.replace('          id: string\n        }\n        Insert', '          id: string\n          }\n        Insert'), /a member of Tables.notes opens a block it does not close at its own indent at line 5/],
    ['Relationships that are not a list', sample.replace('        Relationships: []', '        Relationships: never'), /the Relationships of Database\["public"\]\["Tables"\]\["notes"\] are not `\[` … `\]` or `\[\]` at line 17/],
    ['no Database', sample.replace('export type Database', 'export type Db'), /no line `export type Database = \{`/],
  ])('refuses %s with a StackError saying where', (_what, text, message) => {
    expect(() => writeEachShapeOnce(text)).toThrow(StackError);
    expect(() => writeEachShapeOnce(text)).toThrow(message);
  });
});
