import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { describe, it } from 'node:test';
import { NODE } from '../../lib/cloud-init/layout';
import { bootableFixtureDocuments, parseCloudConfig } from '../support/cloud-init-fixtures';
import { fixtureFirstBoot } from '../support/fixture-first-boots';
import { NodeSandbox } from '../support/node-applier';
import { describeFlagsOfFirstBoots } from './booted-flags-suite';

const VOLUME_POOL = 'ci-aws/jenkins-masters';

// First: it only reads the first boots, which the tests below then boot a second time.
describeFlagsOfFirstBoots();

// Each test boots its own sandbox: as many at a time as there are cores.
describe('applying a node twice leaves the same result', { concurrency: availableParallelism() }, () => {
  for (const document of bootableFixtureDocuments()) {
    it(`${document.id}: a second boot changes no file and restarts nothing`, async () => {
      const config = parseCloudConfig(document.text);
      const filesOnly = new NodeSandbox();
      filesOnly.writeFiles(config);
      const filesOnce = filesOnly.snapshot();
      filesOnly.writeFiles(config);
      assert.deepEqual(filesOnly.snapshot(), filesOnce, 'write_files alone');

      const { sandbox, code, stderr, tree: first, calls: firstCalls } = await fixtureFirstBoot(document.id);
      assert.equal(code, 0, stderr);
      assert.ok(first[NODE.readyMarker], 'the readiness marker is written once the probes pass');

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
  const config = () => parseCloudConfig(bootableFixtureDocuments().find((d) => d.id === VOLUME_POOL)!.text);

  // The pool's first boot above, on a blank volume: what it did then, and the files it left (a
  // second boot leaves the same files, as the test above holds).
  it('a blank volume is formatted once and mounted by UUID with nofail before the agent starts', async () => {
    const { sandbox, code, stderr, calls } = await fixtureFirstBoot(VOLUME_POOL);
    assert.equal(code, 0, stderr);
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
    const { sandbox, code, stderr, calls } = await fixtureFirstBoot(VOLUME_POOL);
    assert.equal(code, 0, stderr);
    assert.equal(sandbox.read('/etc/mesos-agent/attributes/volume'), 'jenkins-masters-1\n');
    const imds = calls.filter((c) => c.startsWith('curl ') && c.includes('169.254.169.254'));
    assert.match(imds[0], /-X PUT .*latest\/api\/token/);
    assert.match(imds[1], /X-aws-ec2-metadata-token: token .*tags\/instance\/Name$/);
  });
});
