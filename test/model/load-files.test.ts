import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CLOUD_RULES } from '../../lib/cli/cloud-registry';
import { ClusterFilesError, listClusterFiles, loadClusterFiles } from '../../lib/model/load';
import { MAX_YAML_ALIAS_EXPANSION, MAX_YAML_DEPTH } from '../../lib/model/parse-yaml';
import { MAX_CLUSTER_FILE_BYTES } from '../../lib/model/read-cluster-file';
import { MAX_USER_TAGS } from '../../lib/aws/tag-rules';
import { BASE_YAML, hasProblem, onlyProblem, problemLines, specYaml } from './fixtures';

/** The line number of the first line appended to BASE_YAML. */
const FIRST_LINE_AFTER_BASE = BASE_YAML.split('\n').length;

/** The problem lines of loading every cluster file of `dir`, as main.ts does. */
function folderProblems(dir: string): string[] {
  try {
    loadClusterFiles(listClusterFiles(dir), CLOUD_RULES);
    return [];
  } catch (error) {
    if (!(error instanceof ClusterFilesError)) throw error;
    return error.message.split('\n');
  }
}

describe('loading: files that are not cluster files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mesos-cluster-load-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const path = (name: string) => join(dir, name);
  writeFileSync(path('bad.yaml'), specYaml({ name: 'bad', zookeeper: { count: 2 } }));
  writeFileSync(path('good.yaml'), specYaml({ name: 'good' }));
  symlinkSync('alice@host.12345:1700000000', path('.#good.yaml')); // an Emacs lock file: a dangling link
  mkdirSync(path('folder.yaml'));
  symlinkSync('/dev/zero', path('zero.yaml'));
  symlinkSync('/proc/self/mem', path('unreadable.yaml')); // a file every user, root too, fails to read
  symlinkSync('loop.yaml', path('loop.yaml'));
  execFileSync('mkfifo', [path('pipe.yaml')]);
  writeFileSync(path('huge.yaml'), `${BASE_YAML}# ${'x'.repeat(MAX_CLUSTER_FILE_BYTES)}\n`);
  writeFileSync(path('latin1.yaml'), Buffer.from('name: caf\xe9\n', 'latin1'));
  const lines = folderProblems(dir);
  const line = (name: string) => {
    const found = lines.filter((l) => l.startsWith(`${path(name)}: `));
    assert.equal(found.length, 1, `one line for ${name} in:\n${lines.join('\n')}`);
    return found[0];
  };

  it('reports a dangling symbolic link, such as an editor lock file, in one line', () =>
    assert.match(line('.#good.yaml'), /: \(file\): cannot be read: it does not exist, or is a symbolic link to nothing \(an editor lock file/));
  it('reports a folder named *.yaml', () => assert.match(line('folder.yaml'), /: \(file\): is a folder, not a cluster file/));
  it('reports a device behind a link without reading it', () => assert.match(line('zero.yaml'), /: \(file\): is a device, not a cluster file/));
  it('reports a pipe without waiting for a writer', () => assert.match(line('pipe.yaml'), /: \(file\): is a pipe, not a cluster file/));
  it('reports a file the system cannot read', () => assert.match(line('unreadable.yaml'), /: \(file\): cannot be read: the system could not read it/));
  it('reports a link that leads back to itself', () => assert.match(line('loop.yaml'), /: \(file\): cannot be read: it is a symbolic link that leads back to itself/));
  it(`reports a file over ${MAX_CLUSTER_FILE_BYTES} bytes`, () => assert.match(line('huge.yaml'), new RegExp(`: \\(file\\): is larger than ${MAX_CLUSTER_FILE_BYTES} bytes`)));
  it('reports a file that is not UTF-8', () => assert.match(line('latin1.yaml'), /: \(file\): is not UTF-8 text/));
  it("still reports the other files' problems, and nothing for the valid one", () => {
    assert.match(line('bad.yaml'), /: zookeeper\.count: 2 is even/);
    assert.equal(lines.filter((l) => l.startsWith(`${path('good.yaml')}:`)).length, 0);
    assert.equal(lines.length, 9, lines.join('\n'));
  });
});

describe('loading: YAML that would not mean what it says', () => {
  it('refuses several YAML documents in one file, at the second one', () => {
    onlyProblem(`${BASE_YAML}---\n${BASE_YAML}`, `line ${FIRST_LINE_AFTER_BASE}, column 1`, 'holds 2 YAML documents', "remove the '---' line");
  });
  it(`refuses aliases that expand past ${MAX_YAML_ALIAS_EXPANSION} values (an alias bomb), in one line`, () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...['b', 'c', 'd', 'e', 'f', 'g'].map((n, i) => `${n}: &${n} [${Array(9).fill(`*${'abcdef'[i]}`).join(', ')}]`)];
    onlyProblem(`${BASE_YAML}${bomb.join('\n')}\n`, '(yaml)', `expand to more than ${MAX_YAML_ALIAS_EXPANSION} values`);
  });
  it('accepts a few aliases that share a block', () => {
    const text = specYaml().replace('pools:\n  builds:\n    count: 2\n', 'pools:\n  builds: &pool\n    count: 2\n  more: *pool\n');
    assert.deepEqual(problemLines(text), []);
  });
  it(`refuses nesting deeper than ${MAX_YAML_DEPTH} levels, in one line`, () => {
    const lines = problemLines(`${BASE_YAML}deep: ${'['.repeat(5000)}${']'.repeat(5000)}\n`);
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(lines[0], new RegExp(`nests deeper than ${MAX_YAML_DEPTH} levels`));
  });
  it('refuses tags outside the YAML core schema, naming them, at the tagged key', () => {
    onlyProblem(`${BASE_YAML}    attributes: !!omap [{a: b}]\n`, 'pools.builds.attributes', 'YAML tag "!!omap" is not allowed');
    onlyProblem(specYaml().replace('image: ami', 'image: !!js/function ami'), 'image', 'YAML tag "!!js/function" is not allowed');
    onlyProblem(specYaml().replace('count: 2', 'count: !!set {2}'), 'pools.builds.count', 'YAML tag "!!set"');
    onlyProblem(specYaml().replace('image: ami', 'image: !custom ami'), 'image', 'YAML tag "!custom"');
  });
  it('accepts core schema tags such as !!str', () => {
    assert.deepEqual(problemLines(specYaml().replace('count: 2', 'count: !!int 2')), []);
  });
  it('refuses __proto__ as a key anywhere', () => {
    onlyProblem(`${BASE_YAML}tags:\n  __proto__: x\n`, 'tags.__proto__', 'key "__proto__" is not allowed');
    onlyProblem(`${BASE_YAML}    attributes: {__proto__: {a: b}}\n`, 'pools.builds.attributes.__proto__', 'not allowed');
  });
  it('refuses duplicate keys, also when YAML would call them different (1 and "1")', () => {
    onlyProblem(`${BASE_YAML}tags:\n  1: a\n  "1": b\n`, `line ${FIRST_LINE_AFTER_BASE + 2}, column 3`, 'Map keys must be unique', `"1" is already a key of tags at line ${FIRST_LINE_AFTER_BASE + 1}, column 3`);
  });
  it('refuses keys that are lists or mappings', () => {
    onlyProblem(`${BASE_YAML}tags:\n  ? [a, b]\n  : c\n`, `line ${FIRST_LINE_AFTER_BASE + 1}, column 5`, 'a key must be plain text');
  });
});

describe('loading: a map of 50,000 keys', () => {
  it('parses it and reports one problem, too many tags', () => {
    // yaml's uniqueKeys compared every pair of keys: 40,000 took 27-40 s here. One set per map
    // finds duplicates in one pass. How the work grows is measured by `npm run bench` (a ratio of
    // two sizes, bench/load-growth.ts), not timed here.
    const keys = Array.from({ length: 50_000 }, (_, i) => `  k${i}: v`).join('\n');
    const text = `${BASE_YAML}tags:\n${keys}\n`;
    assert.ok(Buffer.byteLength(text) <= MAX_CLUSTER_FILE_BYTES);
    const lines = problemLines(text);
    assert.equal(lines.length, 1, lines.slice(0, 3).join('\n'));
    hasProblem(lines, 'tags', `50000 tags given; at most ${MAX_USER_TAGS}`);
  });
});
