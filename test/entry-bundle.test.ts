/**
 * scripts/entry-bundle.js: the bundles tests run commands from are never stale, and a bundled
 * source still finds files beside itself. A scratch entry under dist/ (inside the checkout, as
 * entries must be), removed afterwards.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';

const { freshEntryBundle } = require('../scripts/entry-bundle.js') as { freshEntryBundle(entry: string): string };

const ROOT = join(__dirname, '..');

describe('scripts/entry-bundle.js', () => {
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  const scratch = mkdtempSync(join(ROOT, 'dist', 'entry-bundle-test-'));
  const entry = join(scratch, 'entry.ts');
  const helper = join(scratch, 'beside', 'helper.ts');
  mkdirSync(dirname(helper));
  writeFileSync(entry, "import { answer, folder } from './beside/helper';\nconsole.log(JSON.stringify({ answer, folder }));\n");
  const writeHelper = (answer: number) => writeFileSync(helper, `export const answer: number = ${answer};\nexport const folder = __dirname;\n`);
  writeHelper(1);
  after(() => {
    rmSync(scratch, { recursive: true, force: true });
    rmSync(join(ROOT, 'dist', 'entries', 'dist', scratch.split('/').pop()!), { recursive: true, force: true });
  });
  const run = (bundle: string) => {
    const result = spawnSync(process.execPath, [bundle], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    return JSON.parse(result.stdout) as { answer: number; folder: string };
  };

  it("runs the entry's own code, each source with its own __dirname (not the bundle's folder)", () => {
    const bundle = freshEntryBundle(entry);
    assert.ok(bundle.startsWith(join(ROOT, 'dist', 'entries')), bundle);
    assert.deepEqual(run(bundle), { answer: 1, folder: dirname(helper) });
  });

  it('reuses the bundle while its sources are unchanged and builds it again when an imported file changes', () => {
    const first = freshEntryBundle(entry);
    const built = statSync(first).mtimeMs;
    assert.equal(statSync(freshEntryBundle(entry)).mtimeMs, built, 'not built again');
    writeHelper(2);
    const second = freshEntryBundle(entry);
    assert.equal(second, first);
    assert.deepEqual(run(second), { answer: 2, folder: dirname(helper) }, 'the edit is in the bundle that runs');
  });

  it('refuses an entry outside the checkout with a line naming it', () => {
    assert.throws(() => freshEntryBundle('/etc/hostname.ts'), /entry-bundle: \/etc\/hostname\.ts: expected a \.ts file inside /);
  });
});
