import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { REPO } from '../support/cloud-init-fixtures';

const CHECK_IMAGE = join(REPO, 'cloud-init/scripts/check-image.sh');

/** A root with what every node needs (check_common), and amazon-ssm-agent as `agent` says. */
function imageRoot(agent: 'package' | 'stand-in' | 'none' | 'no-unit'): string {
  const root = mkdtempSync(join(tmpdir(), 'check-image-ssm-'));
  const file = (path: string, content: string, mode = 0o644) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
    chmodSync(join(root, path), mode);
  };
  for (const tool of ['/usr/bin/curl', '/usr/bin/jq', '/usr/bin/aws']) file(tool, '#!/bin/sh\n', 0o755);
  file('/etc/logrotate.d/mesos', '/var/log/mesos/*.log {}\n');
  file('/etc/default/grub.d/99-mesos-cluster-cgroups.cfg', 'GRUB_CMDLINE_LINUX="$GRUB_CMDLINE_LINUX systemd.unified_cgroup_hierarchy=0"\n');
  if (agent === 'none') return root;
  const binary = agent === 'stand-in' ? '#!/bin/sh\n# mesos-cluster stand-in: not amazon-ssm-agent\nexit 1\n' : '\x7fELF';
  file('/usr/bin/amazon-ssm-agent', binary, 0o755);
  if (agent !== 'no-unit') file('/lib/systemd/system/amazon-ssm-agent.service', '[Service]\nExecStart=/usr/bin/amazon-ssm-agent\n');
  return root;
}

function checkImage(root: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) =>
    execFile('bash', [CHECK_IMAGE, ...args], { env: { PATH: process.env.PATH, MESOS_CLUSTER_ROOT: root, ...env } }, (error, _stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, stderr }),
    ),
  );
}

describe('check-image session-manager: the SSM agent a Session Manager cluster needs', () => {
  const roots: string[] = [];
  const root = (agent: Parameters<typeof imageRoot>[0]) => {
    roots.push(imageRoot(agent));
    return roots[roots.length - 1];
  };
  after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

  it('passes on an image with the package installed (binary and unit)', async () => {
    const result = await checkImage(root('package'), ['session-manager']);
    assert.equal(result.code, 0, result.stderr);
  });

  it('fails on an image without it, naming the binary and the unit', async () => {
    const result = await checkImage(root('none'), ['session-manager']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /no executable \/usr\/bin\/amazon-ssm-agent \(AWS's amazon-ssm-agent package/);
    assert.match(result.stderr, /no amazon-ssm-agent\.service/);
    assert.match(result.stderr, /2 problem\(s\); this node starts nothing/);
  });

  it('fails on an image whose package left no unit', async () => {
    const result = await checkImage(root('no-unit'), ['session-manager']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /no amazon-ssm-agent\.service/);
  });

  it("refuses the image test's stand-in at a real boot, and accepts it when provision.sh checks its own stand-ins", async () => {
    const standIn = root('stand-in');
    const boot = await checkImage(standIn, ['session-manager']);
    assert.equal(boot.code, 1);
    assert.match(boot.stderr, /\/usr\/bin\/amazon-ssm-agent is a test stand-in/);
    const baking = await checkImage(standIn, ['session-manager'], { MESOS_CLUSTER_ALLOW_STAND_INS: 'true' });
    assert.equal(baking.code, 0, baking.stderr);
  });

  it("with no argument (provision.sh's check of every service) asks for the agent too: every image has it", async () => {
    const result = await checkImage(root('none'), []);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /no executable \/usr\/bin\/amazon-ssm-agent/);
  });
});
