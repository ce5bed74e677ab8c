import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FIREWALL_RULES, PORTS } from '../../lib/model';

describe("ZooKeeper's client port in the firewall model", () => {
  it('admits only the hosts that need it: ZooKeeper itself, the masters, Marathon and the agents (leader detection)', () => {
    const rules = FIREWALL_RULES.filter((r) => r.fromPort <= PORTS.zookeeperClient && PORTS.zookeeperClient <= r.toPort);
    assert.ok(rules.every((r) => r.to === 'zookeeper'), 'only ZooKeeper servers open 2181');
    assert.deepEqual(rules.map((r) => r.from).sort(), ['marathon', 'mesos-agent', 'mesos-master', 'zookeeper']);
  });
});
