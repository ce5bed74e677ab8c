import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { EXAMPLE_FILE } from './support/aws-synth';

const ROOT = join(__dirname, '..');

interface SynthRun {
  readonly status: number | null;
  readonly outdir: string;
  readonly stderr: string;
}

/** A scratch folder of cluster files, and where a synth of it writes. */
function clusterFolder(files: Record<string, string>): { clusters: string; outdir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mesos-cluster-app-'));
  const clusters = join(dir, 'clusters');
  mkdirSync(clusters);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(clusters, name), text);
  return { clusters, outdir: join(dir, 'out') };
}

/** The prebuilt app (`npm run synth`, cdktf.json) run as operators run it, on a folder of cluster files. */
function synthWithApp(files: Record<string, string>): SynthRun {
  const { clusters, outdir } = clusterFolder(files);
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'app.js')], { cwd: ROOT, env: { ...process.env, CLUSTERS_DIR: clusters, CDKTF_OUTDIR: outdir }, encoding: 'utf8' });
  return { status: result.status, outdir, stderr: result.stderr.replaceAll(clusters, '<clusters>') };
}

/**
 * main.ts run from its source in this test process, which tsx already runs: a process of its
 * own would load tsx, cdktf and the provider classes again (about 3 CPU-s each time). Loading
 * main.ts runs the command, so it is loaded afresh; its output and the exit code it sets are
 * taken while it runs (synchronously, so no other test writes meanwhile), and the process's own
 * environment, exit code and streams are put back.
 */
function synthFromSource(files: Record<string, string>): SynthRun {
  const { clusters, outdir } = clusterFolder(files);
  const main = require.resolve(join(ROOT, 'main.ts'));
  const saved = { clusters: process.env.CLUSTERS_DIR, outdir: process.env.CDKTF_OUTDIR, exitCode: process.exitCode };
  const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
  let stderr = '';
  let status: number | null = null;
  process.env.CLUSTERS_DIR = clusters;
  process.env.CDKTF_OUTDIR = outdir;
  process.exitCode = 0;
  process.stdout.write = () => true;
  process.stderr.write = (chunk: string | Uint8Array) => ((stderr += chunk.toString()), true);
  try {
    delete require.cache[main];
    require(main);
    status = Number(process.exitCode ?? 0);
  } finally {
    Object.assign(process.stdout, { write: writes.stdout });
    Object.assign(process.stderr, { write: writes.stderr });
    restoreEnv('CLUSTERS_DIR', saved.clusters);
    restoreEnv('CDKTF_OUTDIR', saved.outdir);
    process.exitCode = saved.exitCode;
  }
  return { status, outdir, stderr: stderr.replaceAll(clusters, '<clusters>') };
}

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

describe('the prebuilt app (npm run synth, cdktf.json) behaves as main.ts', () => {
  const example = readFileSync(EXAMPLE_FILE, 'utf8');

  it('writes the same stack, byte for byte', () => {
    const [app, source] = [synthWithApp({ 'a.yaml': example }), synthFromSource({ 'a.yaml': example })];
    assert.equal(app.status, 0, app.stderr);
    assert.equal(source.status, 0, source.stderr);
    const stack = (run: { outdir: string }) => readFileSync(join(run.outdir, 'stacks', 'ci-aws', 'cdk.tf.json'), 'utf8');
    assert.equal(stack(app), stack(source));
  });

  it('reports the same problems with its precompiled schema validator, and exits 1', () => {
    const bad = example.replace('name: ci-aws', 'name: ci-aws\nbogus: 1').replace('sizeGiB: 200', 'sizeGiB: "200"').replace('count: 6', 'count: -1');
    const [app, source] = [synthWithApp({ 'bad.yaml': bad }), synthFromSource({ 'bad.yaml': bad })];
    assert.equal(app.status, 1);
    assert.match(app.stderr, /bad\.yaml: bogus: unknown key/);
    assert.equal(source.status, 1);
    assert.equal(app.stderr, source.stderr);
  });
});
