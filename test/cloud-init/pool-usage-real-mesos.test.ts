/**
 * The pool-usage publisher against the real Mesos 1.11.0 (../shared/mesos): three rendered
 * masters and one `builds` agent (test/support/real-mesos.ts). The real /master/redirect and
 * /master/slaves decide who publishes and what; moto's CloudWatch holds what was published.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { POOL_USAGE_METRIC } from '../../lib/cloud-init/pool-usage-files';
import { LoopbackServer } from '../support/loopback-http';
import { motoMissing, MotoServer, startMoto } from '../support/moto-server';
import { instanceMetadata, metricsIn, PublisherRoot, publisherRoot, usageValues } from '../support/pool-usage-publisher';
import { probeRealMesos, RealMesosCluster } from '../support/real-mesos';
import { assertToolAvailable, gateOn, missingTool } from '../support/tool-gate';

const probe = probeRealMesos();
const missing = (probe.ok ? undefined : probe.reason) ?? missingTool('jq', 'jq') ?? missingTool('curl', 'curl') ?? missingTool('aws', 'awscli') ?? motoMissing();

describe('pool-usage on real Mesos masters (moto CloudWatch)', gateOn(missing), () => {
  let cluster: RealMesosCluster;
  let moto: MotoServer;
  let imds: LoopbackServer;
  const roots: PublisherRoot[] = [];

  before(async () => {
    assertToolAvailable(missing);
    if (!probe.ok) return;
    [moto, imds] = await Promise.all([startMoto(), instanceMetadata()]);
    cluster = await RealMesosCluster.start({ runtime: probe.runtime, masters: 3, agents: ['builds'] });
  });
  after(async () => {
    await Promise.all([cluster?.dispose(), moto?.stop(), imds?.close()]);
    for (const root of roots) root.dispose();
  });

  const on = (address: string, namespace: string) => {
    const root = publisherRoot(address, namespace, moto, imds);
    roots.push(root);
    return root;
  };

  it('the leader publishes builds at 0 (its registered agent runs nothing), matched by the agent\'s real pool attribute', async () => {
    const leader = await cluster.leader();
    const result = await on(`${leader.address}:${leader.port}`, 'real/leader').publish();
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(await metricsIn(moto, 'real/leader'), [`${POOL_USAGE_METRIC.name} ${POOL_USAGE_METRIC.dimension}=builds`]);
    assert.deepEqual(await usageValues(moto, 'real/leader', 'builds'), [0]);
  });

  it('each master that does not lead publishes nothing, naming the leader from the real redirect', async () => {
    const leader = await cluster.leader();
    for (const master of cluster.masters.filter((m) => m !== leader)) {
      const namespace = `real/${master.name}`;
      const result = await on(`${master.address}:${master.port}`, namespace).publish();
      assert.equal(result.code, 0, result.stderr);
      assert.ok(result.stderr.includes(`pool-usage: ${leader.address}:${leader.port} leads, not this master`), result.stderr);
      assert.deepEqual(await metricsIn(moto, namespace), []);
    }
  });
});
