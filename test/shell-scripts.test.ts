import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { assertToolAvailable, gateOn, missingTool } from './support/tool-gate';

const ROOT = join(__dirname, '..');

/** Every shell script git tracks: `*.sh` files and CI's entry point. */
function trackedScripts(): string[] {
  const listed = spawnSync('git', ['ls-files', '*.sh', '.ci/run'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(listed.status, 0, listed.stderr);
  return listed.stdout.split('\n').filter(Boolean);
}

describe('the repository shell scripts', () => {
  const noShellcheck = missingTool('shellcheck', 'shellcheck') ?? missingTool('git', 'git');
  it('shellcheck finds nothing in any tracked *.sh file or .ci/run, at every severity', gateOn(noShellcheck), () => {
    assertToolAvailable(noShellcheck);
    const scripts = trackedScripts();
    assert.ok(scripts.includes('.ci/run') && scripts.includes('scripts/setup.sh'), `expected .ci/run and setup.sh among ${scripts.join(', ')}`);
    const result = spawnSync('shellcheck', ['--severity=style', '--format=gcc', ...scripts], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stdout + result.stderr);
  });
});
