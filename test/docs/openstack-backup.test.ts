import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { assertToolAvailable, gateOn, missingTool } from '../support/tool-gate';

const ROOT = join(__dirname, '..', '..');
const BACKUP = join(ROOT, 'docs', 'openstack', 'backup');
const INSTALLED_SCRIPT = '/usr/local/sbin/snapshot-ci-volumes';
const UNITS = ['snapshot-ci-volumes.service', 'snapshot-ci-volumes.timer'];

describe('the OpenStack backup timer (docs/openstack/backup/)', () => {
  it('runs the documented script with the cluster and the retention, daily and catching up', () => {
    const service = readFileSync(join(BACKUP, 'snapshot-ci-volumes.service'), 'utf8');
    const timer = readFileSync(join(BACKUP, 'snapshot-ci-volumes.timer'), 'utf8');
    assert.match(service, new RegExp(`^ExecStart=${INSTALLED_SCRIPT} ci-openstack 7$`, 'm'));
    assert.match(service, /^Type=oneshot$/m);
    assert.match(timer, /^OnCalendar=\*-\*-\* 03:00:00 UTC$/m);
    assert.match(timer, /^Persistent=true$/m);
    assert.match(readFileSync(join(ROOT, 'docs', 'openstack.md'), 'utf8'), /\(openstack\/backup\/snapshot-ci-volumes\.sh\)/);
  });

  const noAnalyze = missingTool('systemd-analyze', 'systemd');
  it('systemd-analyze verify accepts the service and the timer (script at a scratch path)', gateOn(noAnalyze), () => {
    assertToolAvailable(noAnalyze);
    const dir = mkdtempSync(join(tmpdir(), 'backup-units-'));
    try {
      const script = join(dir, 'snapshot-ci-volumes');
      copyFileSync(join(BACKUP, 'snapshot-ci-volumes.sh'), script);
      chmodSync(script, 0o755);
      const units = UNITS.map((name) => {
        writeFileSync(join(dir, name), readFileSync(join(BACKUP, name), 'utf8').split(INSTALLED_SCRIPT).join(script));
        return join(dir, name);
      });
      const run = spawnSync('systemd-analyze', ['verify', '--man=no', ...units], { encoding: 'utf8' });
      const problems = `${run.stdout}${run.stderr}`.split('\n').filter((l) => l.trim() !== '' && !/sysinit\.target not found/.test(l));
      assert.deepEqual(problems, []);
      assert.equal(run.status, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
