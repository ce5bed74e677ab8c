import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
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

describe('npm run sandbox: the tools each mode probes', () => {
  /** No moto (PYTHON names no interpreter) and a stand-in terraform that answers `version`. */
  function withoutMoto(): NodeJS.ProcessEnv {
    const bin = mkdtempSync(join(tmpdir(), 'mesos-cluster-sandbox-bin-'));
    writeFileSync(join(bin, 'terraform'), '#!/bin/sh\nexit 0\n');
    chmodSync(join(bin, 'terraform'), 0o755);
    return { ...process.env, PATH: `${bin}:${process.env.PATH}`, PYTHON: join(bin, 'no-such-python') };
  }

  it('--down starts no emulator, so it needs no moto: it clears a folder with no running sandbox (exit 0)', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'mesos-cluster-sandbox-')), 'sandbox');
    mkdirSync(join(dir, 'workspace'), { recursive: true });
    const run = await runTsCli(CLI, ['--down', '--dir', dir], { env: withoutMoto() });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, `sandbox: no running sandbox in ${dir}; clearing whatever is left there\n`);
    assert.equal(existsSync(join(dir, 'workspace')), false);
  });

  it('--keep without moto is refused in one line naming it, exit 1', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'mesos-cluster-sandbox-')), 'sandbox');
    const run = await runTsCli(CLI, ['--keep', '--dir', dir], { env: withoutMoto() });
    assert.equal(run.status, 1, run.stderr);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^sandbox: moto is not installed for .*no-such-python .*; the sandbox runs AWS's API emulator, moto, on this machine\n$/);
  });
});
