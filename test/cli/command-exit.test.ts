import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { EXAMPLE_FILE } from '../support/aws-synth';
import { runThroughPipe } from '../support/pipe-run';
import { entryBundle } from '../support/run-cli';

const ROOT = join(__dirname, '..', '..');

/** Every command's entry point: main.ts (synth), its prebuilt runner, the command layer lib/cli/ (entries and their helpers), the scripts. */
function commandSources(): string[] {
  const commandLayer = readdirSync(join(ROOT, 'lib', 'cli')).filter((name) => name.endsWith('.ts')).map((name) => join('lib', 'cli', name));
  return ['main.ts', 'scripts/app.js', 'scripts/generate-openstack-bindings.ts', 'bench/run.ts', ...commandLayer];
}

describe('every command delivers all of its output and its exit code through a pipe', () => {
  it('synth (the prebuilt app) delivers every problem of 600 invalid files and the summary to a pipe read late, exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mesos-cluster-pipe-'));
    const clusters = join(dir, 'clusters');
    mkdirSync(clusters);
    const example = readFileSync(EXAMPLE_FILE, 'utf8');
    const files = 600;
    for (let i = 0; i < files; i++) {
      const bad = example.replace('name: ci-aws', `name: ci-aws-${i}\nbogus-key-number-${i}: 1`).replace('sizeGiB: 200', 'sizeGiB: "200"');
      writeFileSync(join(clusters, `cluster-${String(i).padStart(4, '0')}.yaml`), bad);
    }
    const run = await runThroughPipe([join(ROOT, 'scripts', 'app.js')], { cwd: ROOT, env: { ...process.env, CLUSTERS_DIR: clusters, CDKTF_OUTDIR: join(dir, 'out') } });
    const lines = run.stderr.trimEnd().split('\n');
    assert.ok(run.stderr.length > 128 * 1024, `the list is longer than a pipe holds (${run.stderr.length} bytes)`);
    for (let i = 0; i < files; i++) {
      const file = join(clusters, `cluster-${String(i).padStart(4, '0')}.yaml`);
      assert.ok(lines.some((l) => l.startsWith(`${file}: bogus-key-number-${i}: unknown key`)), `the unknown key of file ${i} arrives`);
    }
    assert.equal(lines[lines.length - 1], `${files * 2} problem(s) in ${files} cluster file(s); nothing was synthesized`);
    assert.equal(run.status, 1);
  });

  it('runCommand delivers 2 MB written just before main returns, then the exit code it returned', async () => {
    const script = `
      const { runCommand } = require(${JSON.stringify(entryBundle('lib/cli/command-exit.ts'))});
      runCommand('big', () => {
        for (let i = 0; i < 20000; i++) process.stdout.write('line ' + i + ' ' + 'x'.repeat(90) + '\\n');
        process.stderr.write('done\\n');
        return 3;
      });`;
    const run = await runThroughPipe(['-e', script], { cwd: ROOT });
    const lines = run.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 20000);
    assert.equal(lines[19999], `line 19999 ${'x'.repeat(90)}`);
    assert.equal(run.stderr, 'done\n');
    assert.equal(run.status, 3);
  });

  it('runCommand prints a thrown CommandError alone and an unexpected error as one line, no stack', async () => {
    const lib = JSON.stringify(entryBundle('lib/cli/command-exit.ts'));
    const expected = await runThroughPipe(['-e', `const { runCommand, CommandError } = require(${lib}); runCommand('x', async () => { throw new CommandError('x: the file is gone', 2); });`], { cwd: ROOT });
    assert.deepEqual([expected.stderr, expected.status], ['x: the file is gone\n', 2]);
    const unexpected = await runThroughPipe(['-e', `const { runCommand } = require(${lib}); runCommand('x', () => { throw new TypeError('boom\\nsecond line'); });`], { cwd: ROOT, env: { ...process.env, MESOS_CLUSTER_DEBUG: '' } });
    assert.equal(unexpected.stderr, 'x: unexpected error: TypeError: boom (MESOS_CLUSTER_DEBUG=1 shows where)\n');
    assert.equal(unexpected.status, 1);
  });

  it('no command calls process.exit(), which would drop output a pipe has not taken yet', () => {
    for (const source of commandSources()) {
      const code = readFileSync(join(ROOT, source), 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '');
      assert.doesNotMatch(code, /process\.exit\(/, source);
    }
    assert.ok(commandSources().length >= 10);
  });
});
