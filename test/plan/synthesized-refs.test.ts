import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { keepStacks, keptStacks, synthesisKey } from '../../lib/plan/synthesized-refs';

const scratch = mkdtempSync(join(tmpdir(), 'mesos-cluster-synthesized-refs-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A node_modules folder whose npm record says `installed`. */
function nodeModules(name: string, installed: string): string {
  const dir = join(scratch, name, 'node_modules');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, '.package-lock.json'), JSON.stringify({ packages: { 'node_modules/cdktf': { version: installed } } }));
  return dir;
}

/** A synthesized stacks folder with one stack. */
function stacks(name: string, config: string): string {
  const dir = join(scratch, name, 'cdktf.out', 'stacks');
  mkdirSync(join(dir, 'ci-aws'), { recursive: true });
  writeFileSync(join(dir, 'ci-aws', 'cdk.tf.json'), config);
  return dir;
}

const TREE = 'a'.repeat(40);

describe('synthesisKey', () => {
  it('is the same for the same tree and installed packages, and another for another tree or another install', () => {
    const modules = nodeModules('one', '0.21.0');
    const key = synthesisKey(TREE, modules);
    assert.match(key ?? '', /^[0-9a-f]{24}$/);
    assert.equal(synthesisKey(TREE, modules), key);
    assert.notEqual(synthesisKey('b'.repeat(40), modules), key);
    nodeModules('one', '0.21.1'); // npm ci with another lock file
    assert.notEqual(synthesisKey(TREE, modules), key);
  });

  it('is undefined where npm left no record of what it installed, so nothing is kept', () => {
    const bare = join(scratch, 'bare', 'node_modules');
    mkdirSync(bare, { recursive: true });
    assert.equal(synthesisKey(TREE, bare), undefined);
  });
});

describe('keepStacks and keptStacks', () => {
  it('finds nothing under a key never kept, and a copy of the stacks once kept', () => {
    const root = join(scratch, 'kept-1');
    assert.equal(keptStacks('0'.repeat(24), root), undefined);
    const source = stacks('synth-1', '{"first":true}');
    const kept = keepStacks('0'.repeat(24), source, root);
    rmSync(source, { recursive: true, force: true }); // the run's scratch folder goes
    assert.equal(keptStacks('0'.repeat(24), root), kept);
    assert.equal(readFileSync(join(kept, 'ci-aws', 'cdk.tf.json'), 'utf8'), '{"first":true}');
  });

  it('keeps the first copy when another run keeps the same key after it, and leaves no partial folder', () => {
    const root = join(scratch, 'kept-2');
    const first = keepStacks('1'.repeat(24), stacks('synth-2a', '{"first":true}'), root);
    const second = keepStacks('1'.repeat(24), stacks('synth-2b', '{"second":true}'), root);
    assert.equal(second, first);
    assert.equal(readFileSync(join(second, 'ci-aws', 'cdk.tf.json'), 'utf8'), '{"first":true}');
    assert.deepEqual(readdirSync(root), ['1'.repeat(24)]);
  });
});
