import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO } from '../support/cloud-init-fixtures';

/**
 * The project's patch against the real Mesos 1.11.0 source. CI has no Mesos source and no route
 * to fetch one, so this is not part of `npm test` (its name does not end in .test.ts) but a check
 * run by hand: `MESOS_SOURCE=/path/to/mesos-1.11.0 npm run check:mesos-patch` (the apache/mesos
 * tree at tag 1.11.0, or the release tarball unpacked). Without MESOS_SOURCE it fails.
 */
const PATCH = join(REPO, 'image/mesos-package/debian12.patch');

describe('the Mesos package recipe against the real source', () => {
  it('the patch applies with no fuzz to the real Mesos 1.11.0 source', () => {
    const realSource = process.env.MESOS_SOURCE;
    assert.ok(realSource, 'set MESOS_SOURCE to the Mesos 1.11.0 source tree');
    const copy = mkdtempSync(join(tmpdir(), 'mesos-real-'));
    for (const path of ['configure.ac', '3rdparty/Makefile.am', 'include/mesos/csi/v0.hpp', 'include/mesos/csi/v1.hpp']) {
      mkdirSync(dirname(join(copy, path)), { recursive: true });
      cpSync(join(realSource, path), join(copy, path));
    }
    const applied = spawnSync('patch', ['-p1', '--fuzz=0', '--batch', '--forward', '-d', copy, '-i', PATCH], { encoding: 'utf8' });
    assert.equal(applied.status, 0, applied.stdout + applied.stderr);
    assert.doesNotMatch(applied.stdout, /offset|fuzz/i, 'the hunks land where they were written');
    assert.match(readFileSync(join(copy, 'configure.ac'), 'utf8'), /AC_CHECK_LIB\(\[z\], \[deflate\], \[\],/);
  });
});
