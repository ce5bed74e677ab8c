import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { EXAMPLE_FILE } from './support/aws-synth';

const ROOT = join(__dirname, '..');

/** Runs one entry (the prebuilt app or main.ts under tsx) on a folder of cluster files. */
function synth(entry: string[], files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'mesos-cluster-app-'));
  const clusters = join(dir, 'clusters');
  mkdirSync(clusters);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(clusters, name), text);
  const outdir = join(dir, 'out');
  const result = spawnSync(process.execPath, entry, { cwd: ROOT, env: { ...process.env, CLUSTERS_DIR: clusters, CDKTF_OUTDIR: outdir }, encoding: 'utf8' });
  return { ...result, outdir, stderr: result.stderr.replaceAll(clusters, '<clusters>') };
}

const APP = [join(ROOT, 'scripts', 'app.js')];
const MAIN_TS = ['--import', 'tsx', join(ROOT, 'main.ts')];

describe('the prebuilt app (npm run synth, cdktf.json) behaves as main.ts', () => {
  const example = readFileSync(EXAMPLE_FILE, 'utf8');

  it('writes the same stack, byte for byte', () => {
    const [app, source] = [synth(APP, { 'a.yaml': example }), synth(MAIN_TS, { 'a.yaml': example })];
    assert.equal(app.status, 0, app.stderr);
    assert.equal(source.status, 0, source.stderr);
    const stack = (run: { outdir: string }) => readFileSync(join(run.outdir, 'stacks', 'ci-aws', 'cdk.tf.json'), 'utf8');
    assert.equal(stack(app), stack(source));
  });

  it('reports the same problems with its precompiled schema validator, and exits 1', () => {
    const bad = example.replace('name: ci-aws', 'name: ci-aws\nbogus: 1').replace('sizeGiB: 200', 'sizeGiB: "200"').replace('count: 6', 'count: -1');
    const [app, source] = [synth(APP, { 'bad.yaml': bad }), synth(MAIN_TS, { 'bad.yaml': bad })];
    assert.equal(app.status, 1);
    assert.match(app.stderr, /bad\.yaml: bogus: unknown key/);
    assert.equal(app.stderr, source.stderr);
  });
});
