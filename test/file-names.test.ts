import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = join(__dirname, '..');

/** Names every layer may use for the same purpose: a folder's exports and its error messages. */
const SHARED_BY_PURPOSE = new Set(['index.ts', 'messages.ts']);

/** The same construct once per cloud may share its name. */
const PER_CLOUD_FOLDERS = ['lib/aws', 'lib/openstack'];

/** Every file under lib/, as a path from the repository root; generated bindings left out. */
function libFiles(dir = join(ROOT, 'lib')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : libFiles(path);
    return [relative(ROOT, path)];
  });
}

function isPerCloudPair(paths: readonly string[]): boolean {
  const folders = paths.map((p) => p.slice(0, p.lastIndexOf('/'))).sort();
  return folders.length === PER_CLOUD_FOLDERS.length && folders.every((folder, i) => folder === PER_CLOUD_FOLDERS[i]);
}

/** `name: path, path` for each base name that two files of (presumably) different purpose share. */
function clashingNames(paths: readonly string[]): string[] {
  const byName = new Map<string, string[]>();
  for (const path of paths) byName.set(basename(path), [...(byName.get(basename(path)) ?? []), path]);
  return [...byName]
    .filter(([name, holders]) => holders.length > 1 && !SHARED_BY_PURPOSE.has(name) && !isPerCloudPair(holders))
    .map(([name, holders]) => `${name}: ${holders.sort().join(', ')}`)
    .sort();
}

describe('no two files of different purpose in lib/ share a name', () => {
  it('flags a name shared across layers and lets index.ts, messages.ts and a per-cloud pair pass', () => {
    const paths = [
      'lib/cli/secrets.ts',
      'lib/model/secrets.ts',
      'lib/aws/edge.ts',
      'lib/openstack/edge.ts',
      'lib/aws/network.ts',
      'lib/plan/network.ts',
      'lib/model/index.ts',
      'lib/plan/index.ts',
      'lib/model/messages.ts',
      'lib/plan/messages.ts',
    ];
    assert.deepEqual(clashingNames(paths), ['network.ts: lib/aws/network.ts, lib/plan/network.ts', 'secrets.ts: lib/cli/secrets.ts, lib/model/secrets.ts']);
  });

  it('reads lib/ (the check has something to hold): the commands and the per-cloud constructs are there', () => {
    const files = libFiles();
    assert.ok(files.includes('lib/cli/check-change.ts') && files.includes('lib/aws/edge.ts') && files.includes('lib/openstack/edge.ts'));
    assert.ok(!files.some((f) => f.includes('/generated/')));
  });

  it('every base name under lib/ is one purpose: rename a clashing file after what it does', () => {
    assert.deepEqual(clashingNames(libFiles()), []);
  });
});
