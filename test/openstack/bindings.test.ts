import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { entryBundle } from '../support/run-cli';

const REPO = join(__dirname, '..', '..');
const BINDINGS = join(REPO, 'lib', 'openstack', 'generated');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

describe('OpenStack bindings', () => {
  it('are exactly what the generator makes from reference/openstack (npm run generate:openstack)', () => {
    const out = mkdtempSync(join(tmpdir(), 'openstack-bindings-'));
    try {
      const run = spawnSync(process.execPath, [entryBundle('scripts/generate-openstack-bindings.ts'), out], { encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual(filesUnder(out), filesUnder(BINDINGS));
      for (const file of filesUnder(out)) assert.equal(readFileSync(join(BINDINGS, file), 'utf8'), readFileSync(join(out, file), 'utf8'), `${file} is stale: run npm run generate:openstack`);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('are imported only by lib/openstack, by path, never through an index', () => {
    const sources = ['main.ts', ...['lib', 'test', 'scripts'].flatMap((dir) => filesUnder(join(REPO, dir)).map((f) => join(dir, f)))].filter(
      (f) => f.endsWith('.ts') && !f.startsWith(join('lib', 'openstack', 'generated')),
    );
    const importers: string[] = [];
    for (const file of sources) {
      for (const [, target] of readFileSync(join(REPO, file), 'utf8').matchAll(/from '([^']*generated[^']*)'/g)) {
        importers.push(file);
        assert.ok(file.startsWith(join('lib', 'openstack')), `${file} imports ${target}`);
        assert.match(target, /^\.\/generated\/providers\/openstack\/[a-z0-9-]+$/, `${file}: import one resource by path, not ${target}`);
      }
    }
    assert.ok(importers.length > 0);
  });
});
