import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { renderPoolUserData } from '../../lib/cloud-init';
import { buildTopology } from '../../lib/model';
import { COMMAND_STUBS } from '../support/node-stubs';
import { exampleOpenstackCluster } from '../support/openstack-synth';
import { layOut, readWriteFiles } from '../support/zookeeper-cloud-config';

const POOL = 'jenkins-masters';
const SCRIPT = '/usr/local/lib/mesos-cluster/agent-identity';
const base = mkdtempSync(join(tmpdir(), 'agent-identity-'));
after(() => rmSync(base, { recursive: true, force: true }));

/** What Nova writes to a config drive's openstack/latest/meta_data.json; `meta` is the server's metadata. */
function metaData(meta: Record<string, string>): string {
  return JSON.stringify({
    uuid: '4b1e7d0c-9a8f-4c3e-b2d1-0e9f8a7b6c5d',
    name: 'ci-openstack-jenkins-masters-2',
    hostname: 'ci-openstack-jenkins-masters-2',
    availability_zone: 'az2',
    launch_index: 0,
    project_id: '1f2e3d4c5b6a79880a1b2c3d4e5f6a7b',
    meta,
    public_keys: { 'ci-admin': 'ssh-ed25519 AAAA ci' },
    devices: [],
  });
}

let runs = 0;
/**
 * The OpenStack jenkins-masters pool's files under a fresh root, its config drive as a directory
 * (MESOS_CLUSTER_CONFIG_DRIVE) holding `meta`, and agent-identity run there as configure-node runs it.
 */
function runAgentIdentity(meta: Record<string, string>): Promise<{ code: number; stderr: string; root: string; calls: string }> {
  const dir = join(base, String(++runs));
  const [root, drive, stubs, state] = ['root', 'config-drive', 'bin', 'state'].map((d) => join(dir, d));
  for (const d of [root, stubs, state, join(drive, 'openstack', 'latest')]) mkdirSync(d, { recursive: true });
  layOut(root, readWriteFiles(renderPoolUserData(buildTopology(exampleOpenstackCluster()), POOL)));
  chmodSync(join(root, SCRIPT), 0o755);
  writeFileSync(join(drive, 'openstack', 'latest', 'meta_data.json'), metaData(meta));
  for (const name of ['ip', 'hostname', 'hostnamectl', 'cloud-init', 'curl']) writeFileSync(join(stubs, name), COMMAND_STUBS[name], { mode: 0o755 });
  const env = { PATH: `${stubs}:${process.env.PATH}`, MESOS_CLUSTER_ROOT: root, MESOS_CLUSTER_CONFIG_DRIVE: drive, STUB_STATE: state };
  return new Promise((resolve) => {
    execFile(join(root, SCRIPT), [POOL, '--volume-attribute'], { env, timeout: 20_000 }, (error, _stdout, stderr) => {
      const log = join(state, 'calls.log');
      resolve({ code: error ? Number(error.code ?? -1) : 0, stderr, root, calls: existsSync(log) ? readFileSync(log, 'utf8') : '' });
    });
  });
}

const OWN = { cluster: 'ci-openstack', role: 'mesos-agent', pool: POOL, 'managed-by': 'mesos-cluster' };

describe('agent-identity on OpenStack: the volume attribute from the config drive', () => {
  it('writes the Mesos attribute volume from the server metadata key agent, asking no metadata service', async () => {
    const { code, stderr, root, calls } = await runAgentIdentity({ ...OWN, agent: 'jenkins-masters-2' });
    assert.equal(code, 0, stderr);
    assert.equal(readFileSync(join(root, 'etc/mesos-agent/attributes/volume'), 'utf8'), 'jenkins-masters-2\n');
    assert.doesNotMatch(calls, /^curl /m, 'the AWS metadata service is not asked');
    assert.equal(readFileSync(join(root, 'etc/mesos-agent/hostname'), 'utf8'), '10.20.64.7\n', 'the agent still reports its address');
  });

  for (const [why, meta] of [
    ['without the metadata key agent', OWN],
    ['naming an agent of another pool', { ...OWN, agent: 'builds-1' }],
    ['naming something that is not an agent name', { ...OWN, agent: 'jenkins-masters-1/../../etc' }],
  ] as const) {
    it(`stops the boot ${why}, writing no attribute`, async () => {
      const { code, stderr, root } = await runAgentIdentity(meta);
      assert.equal(code, 1);
      assert.match(stderr, /agent-identity: server metadata key agent .* does not name an agent of pool 'jenkins-masters' in cluster 'ci-openstack'/);
      assert.equal(existsSync(join(root, 'etc/mesos-agent/attributes/volume')), false);
    });
  }
});
