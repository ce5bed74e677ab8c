import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DOCKER_AUTHZ, SANDBOX_ROOT } from '../../lib/cloud-init/docker-authz-files';
import { MESOS } from '../../lib/cloud-init/layout';
import { fileAt, fixtureTopologies, parseCloudConfig, renderAll, unitActivation } from '../support/cloud-init-fixtures';

/** Both clouds' examples: `builds` runs builds in Docker, `jenkins-masters` the masters on the host network. */
const pools = fixtureTopologies()
  .filter((f) => !f.name.includes('colocated'))
  .flatMap(({ topology }) => renderAll(topology).filter((d) => d.kind === 'pool'));
const pool = (suffix: string) => pools.filter((d) => d.id.endsWith(`/${suffix}`));

describe('containment on the agents, as rendered for both clouds', () => {
  it('every agent enables the metadata guard before anything that runs tasks', () => {
    assert.ok(pools.length >= 4, pools.map((d) => d.id).join(', '));
    for (const doc of pools) {
      const { enable } = unitActivation(parseCloudConfig(doc.text));
      assert.equal(enable[0], 'mesos-cluster-metadata-guard', doc.id);
    }
  });

  it('build agents start the authorization plugin before Docker, which requires it, and check the image has it', () => {
    assert.equal(pool('builds').length, 2, 'one build pool per cloud');
    for (const doc of pool('builds')) {
      const config = parseCloudConfig(doc.text);
      const { enable } = unitActivation(config);
      assert.ok(enable.indexOf('opa-docker-authz') < enable.indexOf('docker'), `${doc.id}: ${enable.join(' ')}`);
      assert.deepEqual(JSON.parse(fileAt(config, DOCKER_AUTHZ.daemonConfig)!.content)['authorization-plugins'], [DOCKER_AUTHZ.plugin]);
      assert.match(fileAt(config, '/etc/systemd/system/docker.service.d/mesos-cluster-authz.conf')!.content, /^Requires=opa-docker-authz\.service$/m);
      assert.match(fileAt(config, '/usr/local/lib/mesos-cluster/configure-node')!.content, /check-image" docker mesos-agent docker-authz/);
    }
  });

  it("the policy's sandboxes are those of the agent's own work_dir", () => {
    for (const doc of pool('builds')) {
      const config = parseCloudConfig(doc.text);
      assert.equal(`${fileAt(config, `${MESOS.agentFlagDir}/work_dir`)!.content.trim()}/slaves`, SANDBOX_ROOT);
      assert.ok(fileAt(config, DOCKER_AUTHZ.policy)!.content.includes(`^${SANDBOX_ROOT}/[^/]+/frameworks/`), doc.id);
    }
  });

  it("the Jenkins masters' agents (host network) get no Docker policy: their plugin stays masked", () => {
    assert.equal(pool('jenkins-masters').length, 2, 'one Jenkins masters pool per cloud');
    for (const doc of pool('jenkins-masters')) {
      const config = parseCloudConfig(doc.text);
      assert.equal(fileAt(config, DOCKER_AUTHZ.daemonConfig), undefined, doc.id);
      assert.ok(unitActivation(config).mask.includes('opa-docker-authz'), doc.id);
    }
  });
});
