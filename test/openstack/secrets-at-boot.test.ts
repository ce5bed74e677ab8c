import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allFixtureDocuments, needsMissingSecretFetcher, parseCloudConfig } from '../support/cloud-init-fixtures';
import { NodeSandbox } from '../support/node-applier';

/**
 * Known gap: OpenStack nodes that read secrets (masters, Marathon, agents) cannot boot until the
 * OpenStack secret store has a fetcher. They must stop at boot, loudly, rather than start
 * without their credentials; this pins that, and fails once a fetcher lands (then boot them in
 * the cloud-init tests instead: test/support/cloud-init-fixtures.ts).
 */
describe('OpenStack nodes and secrets at boot', () => {
  const waiting = allFixtureDocuments().filter(needsMissingSecretFetcher);

  it('the nodes that read secrets are the masters, Marathon servers, agents and the edge (ZooKeeper and the bastion boot)', () => {
    const ids = waiting.filter((d) => d.id.startsWith('ci-openstack/')).map((d) => d.id.split('/')[1]);
    assert.deepEqual(ids.sort(), ['builds', 'edge', 'jenkins-masters', 'marathon-1', 'marathon-2', 'marathon-3', 'master-1', 'master-2', 'master-3']);
  });

  it('such a node stops at boot, naming the missing fetcher', async () => {
    const master = waiting.find((d) => d.id === 'ci-openstack/master-1')!;
    const { code, stderr } = await new NodeSandbox().boot(parseCloudConfig(master.text));
    assert.notEqual(code, 0);
    assert.match(stderr, /fetch-secrets: no fetcher for store 'openstack'/);
  });
});
