import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NODE } from '../../lib/cloud-init/layout';
import { allFixtureDocuments, bootableFixtureDocuments, parseCloudConfig } from '../support/cloud-init-fixtures';
import { NodeSandbox } from '../support/node-applier';

const VOLUME_POOL = 'ci-aws/jenkins-masters';

describe('applying a node twice leaves the same result', () => {
  for (const document of bootableFixtureDocuments()) {
    it(`${document.id}: a second boot changes no file and restarts nothing`, async () => {
      const config = parseCloudConfig(document.text);
      const sandbox = new NodeSandbox();

      sandbox.writeFiles(config);
      const filesOnce = sandbox.snapshot();
      sandbox.writeFiles(config);
      assert.deepEqual(sandbox.snapshot(), filesOnce, 'write_files alone');

      assert.equal((await sandbox.configure(config)).code, 0);
      const first = sandbox.snapshot();
      assert.ok(first[NODE.readyMarker], 'the readiness marker is written once the probes pass');
      const firstCalls = sandbox.calls();
      sandbox.clearCalls();

      const again = await sandbox.boot(config);
      assert.equal(again.code, 0, again.stderr);
      assert.deepEqual(sandbox.snapshot(), first, 'write_files and configure-node again');
      const calls = sandbox.calls();
      assert.deepEqual(calls.filter((c) => /^(mkfs|systemctl restart)/.test(c)), [], 'nothing formatted or restarted the second time');
      if (document.id.endsWith('/bastion')) {
        // The bastion runs no service of the cluster: it masks every unit and enables none.
        assert.deepEqual([...firstCalls, ...calls].filter((c) => /^systemctl (enable|start) /.test(c)), [], 'the bastion enables nothing');
      } else {
        assert.ok(firstCalls.some((c) => c.startsWith('systemctl enable')), `the first boot enables units: ${firstCalls.join('; ')}`);
        assert.ok(calls.some((c) => c.startsWith('systemctl start ')), `units are still made to run: ${calls.join('; ')}`);
      }
    });
  }
});

describe('the data volume', () => {
  const config = () => parseCloudConfig(allFixtureDocuments().find((d) => d.id === VOLUME_POOL)!.text);

  it('a blank volume is formatted once and mounted by UUID with nofail before the agent starts', async () => {
    const sandbox = new NodeSandbox();
    assert.equal((await sandbox.boot(config())).code, 0);
    const calls = sandbox.calls();
    assert.deepEqual(calls.filter((c) => c.startsWith('mkfs')), ['mkfs.ext4 -q /dev/nvme1n1'], 'the 200 GiB disk, not the root disk');
    const fstab = sandbox.read('/etc/fstab').trim().split('\n').filter((l) => !l.startsWith('#'));
    assert.deepEqual(fstab, ['UUID=0b7c9f4e-2d1a-4c55-9a57-6f1e2b3c4d5e /var/lib/jenkins ext4 defaults,nofail 0 2']);
    const mount = calls.findIndex((c) => c.startsWith('mount '));
    const agent = calls.findIndex((c) => c === 'systemctl restart mesos-slave');
    assert.ok(mount >= 0 && agent > mount, `mounted before the agent starts: ${calls.join('; ')}`);
    assert.match(sandbox.read('/etc/systemd/system/mesos-slave.service.d/mesos-cluster.conf'), /^RequiresMountsFor=\/var\/lib\/jenkins$/m);
  });

  it('a volume that already holds a filesystem (a replaced agent) is mounted, never formatted', async () => {
    const sandbox = new NodeSandbox({ formattedVolume: true });
    assert.equal((await sandbox.boot(config())).code, 0);
    assert.deepEqual(sandbox.calls().filter((c) => c.startsWith('mkfs')), []);
    assert.ok(sandbox.calls().some((c) => c.startsWith('mount ')));
  });

  it('the agent names its volume in the Mesos attribute volume, from its Name tag read through IMDSv2', async () => {
    const sandbox = new NodeSandbox();
    assert.equal((await sandbox.boot(config())).code, 0);
    assert.equal(sandbox.read('/etc/mesos-agent/attributes/volume'), 'jenkins-masters-1\n');
    const imds = sandbox.calls().filter((c) => c.startsWith('curl ') && c.includes('169.254.169.254'));
    assert.match(imds[0], /-X PUT .*latest\/api\/token/);
    assert.match(imds[1], /X-aws-ec2-metadata-token: token .*tags\/instance\/Name$/);
  });
});
