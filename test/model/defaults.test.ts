import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import schema from '../../clusters/cluster.schema.json';
import { MAX_ZONES } from '../../lib/model/network-layout';
import {
  DEFAULT_AUTOSCALE_TARGET_PERCENT,
  DEFAULT_AGENT_ROOT_GIB,
  DEFAULT_VOLUME_BACKUP,
  DEFAULT_BASTION_ROOT_GIB,
  DEFAULT_MESOS_ROLE,
  DEFAULT_NETWORK_CIDR,
  DEFAULT_QUORUM_COUNT,
  DEFAULT_QUORUM_ROOT_GIB,
  ResolvedCluster,
} from '../../lib/model/defaults';
import { DEFAULT_AWS_ROOT_DEVICE, DEFAULT_NAT_GATEWAYS } from '../../lib/aws/cluster-rules';
import { DEFAULT_ANTI_AFFINITY, DEFAULT_LOAD_BALANCER_ENABLED } from '../../lib/openstack/cluster-rules';
import { BASE_YAML, resolve } from './fixtures';

describe('defaults', () => {
  const cluster = resolve();

  it('gives every quorum 3 servers of 30 GiB', () => {
    for (const quorum of [cluster.zookeeper, cluster.masters, cluster.marathon]) {
      assert.equal(quorum.count, 3);
      assert.equal(quorum.rootVolumeGiB, 30);
    }
    assert.equal(cluster.colocate, false);
  });

  it('uses 10.0.0.0/16 and keeps the zones and admin CIDRs as given', () =>
    assert.deepEqual(cluster.network, { cidr: '10.0.0.0/16', zones: ['us-east-1a', 'us-east-1b'], adminCidrs: ['198.51.100.0/24'] }));

  it('gives the bastion a 30 GiB root disk unless one is given', () => {
    assert.deepEqual(cluster.bastion, { size: 't3.micro', rootVolumeGiB: 30 });
    assert.equal(resolve({ bastion: { rootVolumeGiB: 16 } }).bastion.rootVolumeGiB, 16);
  });

  it('leaves an agent pool unreserved, without Docker, on a 50 GiB root disk and no data volume', () => {
    assert.deepEqual(cluster.pools, [
      { name: 'builds', count: 2, size: 'm5.xlarge', mesosRole: '*', attributes: { pool: 'builds' }, volume: undefined, docker: false, rootVolumeGiB: 50 },
    ]);
  });

  it('puts pool:<name> first among the attributes, even when the file repeats it', () => {
    const pools = resolve({ pools: { builds: { count: 1, attributes: { rack: 'r1', pool: 'builds', zone: 2 } } } }).pools;
    assert.deepEqual(Object.entries(pools[0].attributes), [['pool', 'builds'], ['rack', 'r1'], ['zone', 2]]);
  });

  it('keeps pools in file order', () => {
    const pools = resolve({ pools: { zeta: { count: 1 }, alpha: { count: 0 } } }).pools;
    assert.deepEqual(pools.map((p) => p.name), ['builds', 'zeta', 'alpha']);
    assert.equal(pools[2].count, 0);
  });

  it('keeps state locally, tags nothing extra, uses /dev/xvda as the AWS root device and one NAT gateway', () => {
    assert.deepEqual(cluster.backend, { type: 'local' });
    assert.deepEqual(cluster.tags, {});
    const certificateArn = 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';
    assert.match(BASE_YAML, new RegExp(`certificateArn: ${certificateArn}\\n`), "the file's certificate, which has no default");
    assert.deepEqual(cluster.aws, { region: 'us-east-1', rootDeviceName: '/dev/xvda', natGateways: 'single', sessionManager: false, certificateArn });
    assert.deepEqual(cluster.policy, { suppressions: [] });
    assert.equal(cluster.sshKey.publicKey, undefined);
  });

  it('resolves with no pools at all', () => assert.deepEqual(resolve({ pools: undefined }).pools, []));
});

describe('defaults published in clusters/cluster.schema.json', () => {
  /** Every `default` keyword in the schema, by the JSON pointer of the schema that holds it. */
  function schemaDefaults(node: unknown, pointer = ''): Map<string, unknown> {
    const found = new Map<string, unknown>();
    if (typeof node !== 'object' || node === null) return found;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'default') found.set(pointer, value);
      else for (const [p, v] of schemaDefaults(value, `${pointer}/${key}`)) found.set(p, v);
    }
    return found;
  }

  // What the model resolves for each documented default: from defaults.ts constants, or from the
  // resolved base fixture where defaults.ts writes the value inline.
  const cluster: ResolvedCluster = resolve({ pools: { bare: { count: 1 } } });
  const bare = cluster.pools.find((p) => p.name === 'bare')!;
  const { pool: _pool, ...extraAttributes } = bare.attributes;
  const modelDefaults: Record<string, unknown> = {
    '/properties/network/properties/cidr': DEFAULT_NETWORK_CIDR,
    '/properties/colocate': cluster.colocate,
    '/properties/tls/properties/mesos': cluster.tls.mesos,
    '/properties/tls/properties/marathon': cluster.tls.marathon,
    '/properties/bastion/properties/rootVolumeGiB': DEFAULT_BASTION_ROOT_GIB,
    '/properties/pools': Object.fromEntries(resolve({ pools: undefined }).pools.map((p) => [p.name, p])),
    '/properties/tags': cluster.tags,
    '/properties/policy/properties/suppressions': cluster.policy.suppressions,
    '/properties/aws/properties/rootDeviceName': DEFAULT_AWS_ROOT_DEVICE,
    '/properties/aws/properties/natGateways': DEFAULT_NAT_GATEWAYS,
    '/properties/aws/properties/sessionManager': cluster.aws?.sessionManager,
    '/properties/openstack/properties/antiAffinity': DEFAULT_ANTI_AFFINITY,
    '/properties/openstack/properties/loadBalancer/properties/enabled': DEFAULT_LOAD_BALANCER_ENABLED,
    '/definitions/quorum/properties/count': DEFAULT_QUORUM_COUNT,
    '/definitions/quorum/properties/rootVolumeGiB': DEFAULT_QUORUM_ROOT_GIB,
    '/definitions/pool/properties/mesosRole': DEFAULT_MESOS_ROLE,
    '/definitions/pool/properties/attributes': extraAttributes,
    '/definitions/pool/properties/docker': bare.docker,
    '/definitions/pool/properties/rootVolumeGiB': DEFAULT_AGENT_ROOT_GIB,
    '/definitions/pool/properties/autoscale/properties/targetPercent': DEFAULT_AUTOSCALE_TARGET_PERCENT,
    '/properties/edge/properties/count': cluster.edge?.count,
    '/properties/edge/properties/cidrs': cluster.edge?.cidrs,
    '/definitions/pool/properties/volume/properties/backup': DEFAULT_VOLUME_BACKUP,
    '/definitions/pool/properties/volume/properties/backup/properties/everyHours': DEFAULT_VOLUME_BACKUP.everyHours,
    '/definitions/pool/properties/volume/properties/backup/properties/at': DEFAULT_VOLUME_BACKUP.at,
    '/definitions/pool/properties/volume/properties/backup/properties/keep': DEFAULT_VOLUME_BACKUP.keep,
  };

  it('publishes exactly the defaults the model resolves', () => {
    assert.deepEqual(Object.fromEntries(schemaDefaults(schema)), modelDefaults);
  });

  it('resolves the constants of defaults.ts, not other values', () => {
    assert.equal(cluster.network.cidr, DEFAULT_NETWORK_CIDR);
    assert.equal(cluster.aws?.rootDeviceName, DEFAULT_AWS_ROOT_DEVICE);
    assert.equal(cluster.aws?.natGateways, DEFAULT_NAT_GATEWAYS);
    for (const quorum of [cluster.zookeeper, cluster.masters, cluster.marathon]) {
      assert.equal(quorum.count, DEFAULT_QUORUM_COUNT);
      assert.equal(quorum.rootVolumeGiB, DEFAULT_QUORUM_ROOT_GIB);
    }
    assert.equal(cluster.bastion.rootVolumeGiB, DEFAULT_BASTION_ROOT_GIB);
    assert.equal(bare.mesosRole, DEFAULT_MESOS_ROLE);
    assert.equal(bare.rootVolumeGiB, DEFAULT_AGENT_ROOT_GIB);
  });
});

describe('limits published in clusters/cluster.schema.json', () => {
  it('allows as many zones as the network layout carves subnets for', () => {
    assert.equal(schema.properties.network.properties.zones.maxItems, MAX_ZONES);
  });
});
