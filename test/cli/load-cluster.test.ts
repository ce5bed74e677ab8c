import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CommandError } from '../../lib/cli/command-exit';
import { ClusterNotFoundError, findCluster, loadClusterTopology, loadClustersOrExit } from '../../lib/cli/load-cluster';
import { ClusterFileError } from '../../lib/model';
import { EXAMPLE_FILE } from '../support/aws-synth';

const dir = mkdtempSync(join(tmpdir(), 'load-cluster-'));
const example = readFileSync(EXAMPLE_FILE, 'utf8');
/** The example with two problems: an unknown key and a size that is a string. */
const badFile = join(dir, 'bad.yaml');
writeFileSync(badFile, example.replace('name: ci-aws', 'name: ci-aws\nbogus-key: 1').replace('sizeGiB: 200', 'sizeGiB: "200"'));

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  assert.fail('expected a throw');
}

describe('loadClusterTopology: one cluster file for a command', () => {
  it('gives the topology of a valid file', () => {
    assert.equal(loadClusterTopology(EXAMPLE_FILE).cluster.name, 'ci-aws');
  });

  it('ends the command with every problem of the file, exit 1 unless told otherwise', () => {
    const error = thrown(() => loadClusterTopology(badFile));
    assert.ok(error instanceof CommandError);
    assert.equal(error.exitCode, 1);
    const lines = error.message.split('\n');
    assert.equal(lines.length, 2, error.message);
    assert.ok(lines.every((line) => line.startsWith(`${badFile}: `)), error.message);
    assert.match(error.message, /bogus-key: unknown key/);
    assert.equal((thrown(() => loadClusterTopology(badFile, 2)) as CommandError).exitCode, 2);
  });

  it('ends the command naming a file that is not there', () => {
    const error = thrown(() => loadClusterTopology(join(dir, 'missing.yaml')));
    assert.ok(error instanceof CommandError);
    assert.match(error.message, /missing\.yaml/);
    assert.equal(error.message.split('\n').length, 1);
  });
});

describe('loadClustersOrExit: every cluster file for a command', () => {
  it('gives every cluster when all files and their checks pass', () => {
    assert.deepEqual(loadClustersOrExit([EXAMPLE_FILE], () => [], 'nothing was done').map((c) => c.name), ['ci-aws']);
  });

  it("ends the command with every file's problems, the check's too, then the count and what was not done", () => {
    const error = thrown(() => loadClustersOrExit([badFile, EXAMPLE_FILE], () => [{ path: 'pools', message: 'too large' }], 'nothing was done'));
    assert.ok(error instanceof CommandError);
    assert.equal(error.exitCode, 1);
    const lines = error.message.split('\n');
    assert.equal(lines.filter((line) => line.startsWith(`${badFile}: `)).length, 2, error.message);
    assert.ok(lines.includes(`${EXAMPLE_FILE}: pools: too large`), error.message);
    assert.equal(lines.at(-1), '3 problem(s) in 2 cluster file(s); nothing was done');
  });
});

describe('findCluster: a cluster named on the command line', () => {
  const clusters = mkdtempSync(join(tmpdir(), 'load-cluster-dir-'));
  copyFileSync(EXAMPLE_FILE, join(clusters, 'production.yaml'));
  copyFileSync(badFile, join(clusters, 'broken.yaml'));

  it('finds it by path, by file name in the folder, or by the name inside a file there, passing over files with problems', () => {
    assert.equal(findCluster(EXAMPLE_FILE, '/nonexistent').name, 'ci-aws');
    assert.equal(findCluster('production', clusters).name, 'ci-aws');
    assert.equal(findCluster('ci-aws', clusters).name, 'ci-aws');
  });

  it('throws a ClusterFileError for a file found with problems, a ClusterNotFoundError naming the folder for no file', () => {
    assert.ok(thrown(() => findCluster('broken', clusters)) instanceof ClusterFileError);
    const missing = thrown(() => findCluster('no-such-cluster', clusters));
    assert.ok(missing instanceof ClusterNotFoundError);
    assert.equal(missing.message, `no cluster file for "no-such-cluster": not a file, not ${join(clusters, 'no-such-cluster.yaml')}, and no file in ${clusters} names a cluster "no-such-cluster"`);
  });
});
