import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runTsCli } from '../support/run-cli';

const CLI = join(__dirname, '..', '..', 'lib', 'cli', 'sandbox.ts');
const sandbox = (...args: string[]) => runTsCli(CLI, args, { env: process.env });

describe('npm run sandbox: the command line', { concurrency: true }, () => {
  for (const args of [['--bogus'], ['--keep', '--down'], ['--dir', ''], ['extra']]) {
    it(`${JSON.stringify(args.join(' '))} is refused with one usage line and exit 2, printing nothing else`, async () => {
      const run = await sandbox(...args);
      assert.equal(run.status, 2, run.stderr);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /^sandbox: .+; usage: npm run sandbox -- \[--keep \| --down\] \[--dir <folder>\].*\n$/);
    });
  }
});

describe('npm run sandbox: the sandbox folder', () => {
  it('a folder path that is a file is refused in one line naming it, printing nothing else', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mesos-cluster-sandbox-')), 'not-a-folder');
    writeFileSync(file, '');
    const run = await sandbox('--down', '--dir', file);
    assert.equal(run.status, 1, run.stderr);
    assert.equal(run.stdout, '');
    assert.equal(run.stderr, `sandbox: ${file}: cannot be used as the sandbox folder (it exists and is not a folder); name another with --dir\n`);
  });
});
