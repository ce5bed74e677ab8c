import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, it } from 'node:test';
import { CliRun, runTsCli } from './run-cli';

/**
 * The output folders a command that writes files (render, apps) must refuse, each with one line
 * naming the path and the fault, exit 1, no stack, and no file of the set written (not even one).
 * `takenName` is one of the files the command writes, to put a folder in its way.
 */
export function outputDirCases(command: string, cli: string, args: readonly string[], takenName: string): void {
  const root = mkdtempSync(join(tmpdir(), `${command}-hostile-out-`));
  const cases = [
    { name: 'an output path that is a file', out: join(root, 'a-file'), prepare: (out: string) => writeFileSync(out, 'kept\n'), line: /a-file: cannot be written: .*(it exists and is not a folder|a part of its path is not a folder)/ },
    { name: 'an output path under a file (unwritable)', out: join(root, 'blocker', 'out'), prepare: () => writeFileSync(join(root, 'blocker'), 'kept\n'), line: /blocker\/out: cannot be written: .*a part of its path is not a folder/ },
    { name: `an output folder where ${takenName} is a folder`, out: join(root, 'taken'), prepare: (out: string) => mkdirSync(join(out, takenName, 'inside'), { recursive: true }), line: new RegExp(`taken: cannot be written: .*${takenName.replace('.', '\\.')}: it is a folder`) },
  ];
  const runs: CliRun[] = [];
  before(async () => {
    for (const c of cases) c.prepare(c.out);
    runs.push(...(await Promise.all(cases.map((c) => runTsCli(cli, [...args, c.out])))));
  });
  cases.forEach((c, i) => {
    it(`${c.name}: one line naming it, exit 1, no stack, nothing written`, () => {
      const run = runs[i];
      assert.equal(run.status, 1, run.stderr);
      assert.equal(run.stdout, '');
      assert.equal(run.stderr.trimEnd().split('\n').length, 1, run.stderr);
      assert.match(run.stderr, c.line);
      assert.doesNotMatch(run.stderr, /\n\s+at |undefined|\[object Object\]|NaN/);
      if (c.name.includes('is a folder')) assert.deepEqual(readdirSync(c.out), [takenName], 'no other file of the set, no aside file');
      else if (c.name.includes('is a file')) assert.equal(readFileSync(c.out, 'utf8'), 'kept\n', 'the file in the way is left alone');
      else assert.equal(existsSync(c.out), false);
    });
  });
}
