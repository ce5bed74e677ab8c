import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLOUD_RULES } from '../../lib/cli/cloud-registry';
import { parseClusterFile } from '../../lib/model';
import { FILE, hasProblem, problemLines, specYaml } from '../model/fixtures';
import { Patch, patchYaml } from '../support/yaml-patch';

/** A small valid OpenStack cluster: every role sized (flavors have no default), one pool. */
const OPENSTACK_YAML = `
name: test
cloud: openstack
openstack:
  externalNetwork: public
image: debian-12
sshKey:
  name: admin
network:
  zones: [az1, az2]
  adminCidrs: [198.51.100.0/24]
zookeeper: { size: m1.medium }
masters: { size: m1.large }
marathon: { size: m1.large }
bastion: { size: m1.small }
pools:
  builds:
    count: 2
    size: m1.xlarge
`;

const lines = (patch: Patch) => problemLines(patchYaml(OPENSTACK_YAML, patch));
function onlyProblem(patch: Patch, path: string, ...words: string[]): void {
  const found = lines(patch);
  assert.equal(found.length, 1, `expected one problem at ${path}, got:\n${found.join('\n')}`);
  hasProblem(found, path, ...words);
}

describe('validation: OpenStack settings', () => {
  it('accepts a cluster with every role sized and the external network named, resolving the defaults', () => {
    assert.deepEqual(lines({}), []);
    const cluster = parseClusterFile(FILE, OPENSTACK_YAML, CLOUD_RULES);
    assert.deepEqual(cluster.openstack, {
      externalNetwork: 'public',
      floatingIpPool: undefined,
      volumeZones: { az1: 'az1', az2: 'az2' },
      dnsNameservers: [],
      volumeType: undefined,
      antiAffinity: 'soft',
      loadBalancer: { enabled: false, provider: undefined, tlsContainerRef: undefined },
      region: undefined,
    });
  });

  it('requires the openstack section, in one line that says what it needs', () => {
    onlyProblem({ openstack: undefined }, 'openstack', 'is required when cloud is openstack', 'openstack.externalNetwork');
  });

  it('requires the external network, in one line', () => {
    onlyProblem({ openstack: { externalNetwork: undefined } }, 'openstack.externalNetwork', 'is required');
  });

  it('asks for each flavor that is missing, one line each', () => {
    const found = lines({ zookeeper: undefined, bastion: undefined, pools: { gpu: { count: 1 } } });
    assert.equal(found.length, 3, found.join('\n'));
    for (const path of ['zookeeper.size', 'bastion.size', 'pools.gpu.size']) hasProblem(found, path, 'is required', 'openstack has no default size');
  });

  it('with colocate, asks only for zookeeper\'s flavor', () => {
    onlyProblem({ colocate: true, zookeeper: undefined, masters: undefined, marathon: undefined }, 'zookeeper.size', 'is required');
  });

  it('needs one Cinder zone per Nova zone', () => {
    onlyProblem({ openstack: { volumeZones: ['nova'] } }, 'openstack.volumeZones', '1 volume zone(s) given for 2 network.zones');
    const cluster = parseClusterFile(FILE, patchYaml(OPENSTACK_YAML, { openstack: { volumeZones: ['nova', 'nova-b'] } }), CLOUD_RULES);
    assert.deepEqual(cluster.openstack?.volumeZones, { az1: 'nova', az2: 'nova-b' });
  });

  it('refuses a DNS server that is not an IPv4 address, naming it', () => {
    onlyProblem({ openstack: { dnsNameservers: ['192.0.2.53', 'dns.example'] } }, 'openstack.dnsNameservers[1]', '"dns.example" is not an IPv4 address');
  });

  it('refuses an unknown anti-affinity mode and key, listing the allowed ones', () => {
    onlyProblem({ openstack: { antiAffinity: 'strict' } }, 'openstack.antiAffinity', '"strict" is not allowed', 'soft, hard');
    onlyProblem({ openstack: { password: 'x' } }, 'openstack.password', 'unknown key', 'externalNetwork');
  });

  it('refuses names no OpenStack cloud accepts (control characters, spaces at either end), naming the field', () => {
    onlyProblem({ image: 'debian\n12' }, 'image', 'is not an image name or id', 'control characters');
    onlyProblem({ pools: { builds: { size: ' m1.xlarge' } } }, 'pools.builds.size', 'is not a flavor name');
    onlyProblem({ openstack: { volumeZones: ['nova', 'a\tb'] } }, 'openstack.volumeZones[1]', 'is not a Cinder zone name');
    assert.deepEqual(lines({ image: 'Debian 12 (mesos) ${not a template}', openstack: { externalNetwork: 'ext-net 1' } }), []);
  });

  it('refuses the aws section on openstack and the openstack section on aws', () => {
    hasProblem(lines({ aws: { region: 'us-east-1' } }), 'aws', 'only applies when cloud is aws');
    hasProblem(problemLines(specYaml({ openstack: { externalNetwork: 'public' } })), 'openstack', 'only applies when cloud is openstack');
  });

  it('holds tags to Nova metadata rules: not the stack\'s own keys, at most 255 characters', () => {
    onlyProblem({ tags: { role: 'x' } }, 'tags.role', 'server metadata the stack sets itself');
    onlyProblem({ tags: { owner: 'v'.repeat(256) } }, 'tags.owner', 'has 256 character(s); Nova allows at most 255');
    assert.deepEqual(lines({ tags: { 'cost center': '${not a template here}' } }), [], 'metadata is escaped, not refused (cluster-stack test)');
  });
});

describe('validation: the edge on OpenStack', () => {
  const TLS = 'https://barbican.example.net:9311/v1/containers/0b7c9f4e-2d1a-4c55-9a57-6f1e2b3c4d5e';
  const withLoadBalancer = (loadBalancer: Record<string, unknown>, edge?: Record<string, unknown>): Patch => ({
    openstack: { loadBalancer: { enabled: true, ...loadBalancer } },
    ...(edge && { edge }),
  });

  it('builds no edge without the load balancer, and asks no edge flavor then', () => {
    assert.equal(parseClusterFile(FILE, OPENSTACK_YAML, CLOUD_RULES).edge, undefined);
  });

  it('builds two edge servers by default with the load balancer, of the flavor and behind the certificate given', () => {
    const cluster = parseClusterFile(FILE, patchYaml(OPENSTACK_YAML, withLoadBalancer({ tlsContainerRef: TLS }, { size: 'm1.small', cidrs: ['203.0.113.0/24'] })), CLOUD_RULES);
    assert.deepEqual(cluster.edge, { count: 2, size: 'm1.small', domain: undefined, cidrs: ['203.0.113.0/24'] });
    assert.equal(cluster.openstack?.loadBalancer.tlsContainerRef, TLS);
  });

  it('asks for the edge flavor and the certificate when the load balancer brings an edge by default', () => {
    const found = lines(withLoadBalancer({}));
    assert.equal(found.length, 2, found.join('\n'));
    hasProblem(found, 'edge.size', 'is required');
    hasProblem(found, 'openstack.loadBalancer.tlsContainerRef', 'is required with the load balancer', 'Barbican');
  });

  it('refuses edge servers without the load balancer, in one line at edge.count', () => {
    onlyProblem({ edge: { count: 2, size: 'm1.small' } }, 'edge.count', '2 edge server(s)', 'openstack.loadBalancer.enabled: true', 'edge.count: 0');
  });

  it('accepts the load balancer without an edge when edge.count is 0, with its certificate', () => {
    assert.deepEqual(lines(withLoadBalancer({ tlsContainerRef: TLS }, { count: 0 })), []);
  });

  it('asks for the certificate with the load balancer even without an edge: the UI listeners are HTTPS', () => {
    onlyProblem(withLoadBalancer({}, { count: 0 }), 'openstack.loadBalancer.tlsContainerRef', 'is required with the load balancer', 'Mesos and Marathon UIs');
  });

  it('refuses a certificate ref that is not a Barbican container or secret URL', () => {
    onlyProblem(withLoadBalancer({ tlsContainerRef: 'my-certificate' }, { size: 'm1.small' }), 'openstack.loadBalancer.tlsContainerRef', 'my-certificate');
  });
});

describe('validation: backups on OpenStack', () => {
  it('refuses a snapshot schedule, which no OpenStack resource would keep, in one line at the pool', () => {
    const pool = { count: 1, size: 'm1.xlarge', volume: { sizeGiB: 10, mountPath: '/var/lib/jenkins', backup: { keep: 3 } } };
    onlyProblem({ pools: { builds: pool } }, 'pools.builds.volume.backup', 'applies on AWS only', 'docs/openstack.md#backups-on-openstack');
    assert.deepEqual(lines({ pools: { builds: { ...pool, volume: { sizeGiB: 10, mountPath: '/var/lib/jenkins' } } } }), []);
  });
});

describe('validation: autoscale on OpenStack', () => {
  it('refuses autoscale, which no OpenStack resource of this stack would act on, in one line at the pool', () => {
    const pool = { count: 2, size: 'm1.xlarge' };
    onlyProblem({ pools: { builds: { ...pool, autoscale: { min: 1, max: 4 } } } }, 'pools.builds.autoscale', 'applies on AWS only', 'set count');
    assert.deepEqual(lines({ pools: { builds: pool } }), []);
  });
});
