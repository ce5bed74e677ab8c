import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_ADMIN_CIDRS } from '../../lib/aws/cluster-rules';
import { MAX_USER_TAGS } from '../../lib/aws/tag-rules';
import { STACK_TAG_KEYS } from '../../lib/aws/tags';
import { hasProblem, onlyProblem, problemLines, resolve, specYaml, valid } from '../model/fixtures';
import { exampleCluster, synthAws } from '../support/aws-synth';

describe('validation: AWS name rules', () => {
  it('rejects a cluster name starting with sg- or internal-, saying which AWS name would be refused', () => {
    onlyProblem({ name: 'sg-builds' }, 'name', '"sg-builds" starts with "sg-"', 'security group names');
    onlyProblem({ name: 'internal-ci' }, 'name', '"internal-ci" starts with "internal-"', 'load balancer names');
    valid({ name: 'sgx-ci' });
    valid({ name: 'ci-internal' });
  });
});

describe('validation: AWS zones', () => {
  it('rejects an AWS zone outside aws.region, naming the zone and the region', () => {
    onlyProblem({ network: { zones: ['us-east-1a', 'us-west-2b'] } }, 'network.zones[1]', 'zone "us-west-2b" is not in region "us-east-1"', 'e.g. us-east-1a');
    onlyProblem({ network: { zones: ['us-east-1', 'us-east-1b'] } }, 'network.zones[0]', 'zone "us-east-1" is not in region "us-east-1"');
    valid({ network: { zones: ['us-east-1a', 'us-east-1-bos-1a'] } });
  });
  it('skips the zone-region check when aws.region is missing or not a string', () => {
    onlyProblem({ aws: { region: undefined } }, 'aws.region', 'is required');
    onlyProblem({ aws: { region: 5 } }, 'aws.region', '5 must be a string');
  });
  it('rejects a single zone on AWS (load balancers need two)', () => {
    onlyProblem({ network: { zones: ['us-east-1a'] } }, 'network.zones', '1 zone given', 'at least 2 zones');
  });
});

describe('validation: the aws section', () => {
  it('requires the aws section when cloud is aws', () => {
    onlyProblem({ aws: undefined }, 'aws', 'is required when cloud is aws', 'aws.region');
  });
});

describe('validation: tags', () => {
  const tag = (key: string, value: string) => ({ tags: { [key]: value } });
  it('accepts tags of letters in any script, digits, spaces and _ . : / = + - @', () =>
    valid({ tags: { 'cost-center': 'ci', 'team/owner': 'a@b.c', 'Kostenstelle é': 'Ü 日本 1+1=2', empty: '' } }));
  it('rejects characters AWS does not allow, naming them, so ${...} never reaches Terraform', () => {
    onlyProblem(tag('owner', '${var.x}'), 'tags.owner', 'tag value "${var.x}" has "$", "{", "}"', 'only letters, digits, spaces');
    onlyProblem(tag('a*b', 'v'), 'tags.a*b', 'tag key "a*b" has "*"');
  });
  it('rejects keys over 128 and values over 256 characters, and an empty key', () => {
    onlyProblem(tag('k'.repeat(129), 'v'), `tags.${'k'.repeat(129)}`, 'has 129 character(s); AWS allows 1-128');
    onlyProblem(tag('k', 'v'.repeat(257)), 'tags.k', 'has 257 character(s); AWS allows 0-256');
    onlyProblem(tag('', 'v'), 'tags.', 'tag key "" has 0 character(s)');
    valid({ tags: { ['é'.repeat(128)]: '日'.repeat(256) } });
  });
  it('rejects keys starting with aws:, in any case', () => {
    for (const key of ['aws:x', 'AWS:cloudformation:stack']) onlyProblem(tag(key, 'v'), `tags.${key}`, `tag key ${JSON.stringify(key)} starts with "aws:"`);
  });
  it('rejects the keys the stack sets itself, listing them', () => {
    for (const key of ['cluster', 'role', 'pool', 'Name', 'services', 'managed-by']) {
      onlyProblem(tag(key, 'v'), `tags.${key}`, `tag key "${key}" is set by the stack`, 'cluster, role, pool, Name, services, managed-by');
    }
  });
  it('allows 40 tags and rejects 41, saying why', () => {
    const tags = (n: number) => ({ tags: Object.fromEntries(Array.from({ length: n }, (_, i) => [`t${i}`, 'v'])) });
    valid(tags(40));
    onlyProblem(tags(41), 'tags', '41 tags given; at most 40', 'AWS allows 50 per resource');
  });
});

describe('AWS default sizes', () => {
  const cluster = resolve();
  it('sizes each role for AWS', () => {
    assert.equal(cluster.zookeeper.size, 't3.medium');
    assert.equal(cluster.masters.size, 'm5.large');
    assert.equal(cluster.marathon.size, 'm5.large');
    assert.equal(cluster.bastion.size, 't3.micro');
    assert.equal(cluster.pools[0].size, 'm5.xlarge');
  });

  it('sizes colocated control servers larger, and keeps the zookeeper size and disk they take', () => {
    assert.equal(resolve({ colocate: true }).zookeeper.size, 'm5.xlarge');
    const given = resolve({ colocate: true, zookeeper: { size: 'c5.large', rootVolumeGiB: 40 } });
    assert.equal(given.zookeeper.size, 'c5.large');
    assert.equal(given.zookeeper.rootVolumeGiB, 40);
  });
});

describe('validation: AWS names that reach Terraform', () => {
  it('accepts the names AWS uses', () => {
    valid({ image: 'ami-12345678', sshKey: { name: 'ci admin@corp.example+1' }, aws: { region: 'us-gov-west-1', rootDeviceName: '/dev/sda1', certificateArn: 'arn:aws-us-gov:acm:us-gov-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b' }, network: { zones: ['us-gov-west-1a', 'us-gov-west-1b'] } });
    valid({ zookeeper: { size: 'm7i-flex.large' }, bastion: { size: 'u-6tb1.metal' }, pools: { builds: { count: 1, size: 'm7i.metal-24xl' } } });
  });
  it('rejects an image that is not an AMI id, such as one that reads a file at plan time', () => {
    for (const image of ['ami-${trimspace(file("/etc/hostname"))}', 'ami-123', 'ubuntu-22.04', 'ami-0123456789ABCDEF0']) {
      onlyProblem({ image }, 'image', `is not an AMI id`);
    }
  });
  it('rejects sizes that are not instance types, at every size', () => {
    for (const path of ['zookeeper', 'masters', 'marathon', 'bastion']) {
      onlyProblem({ [path]: { size: 'm5.large%{if true}' } }, `${path}.size`, 'is not an EC2 instance type');
    }
    onlyProblem({ pools: { builds: { count: 1, size: 'M5.LARGE' } } }, 'pools.builds.size', 'is not an EC2 instance type');
    onlyProblem({ pools: { builds: { count: 1, size: 'large' } } }, 'pools.builds.size', 'is not an EC2 instance type');
  });
  it('rejects key pair names, regions and root devices outside their patterns', () => {
    for (const name of ['admin\nkey', 'a${b}', ' admin', 'k'.repeat(256)]) onlyProblem({ sshKey: { name } }, 'sshKey.name', 'is not an EC2 key pair name');
    for (const region of ['us-east-1${x}', 'US-EAST-1', 'useast1']) {
      const lines = problemLines(specYaml({ aws: { region } }));
      hasProblem(lines, 'aws.region', 'is not an AWS region name');
    }
    for (const rootDeviceName of ['/dev/xvda; reboot', 'xvda', '/dev/../etc/passwd', '/dev/nvme0n1']) {
      onlyProblem({ aws: { region: 'us-east-1', rootDeviceName } }, 'aws.rootDeviceName', 'is not a root device name');
    }
  });
  it('rejects a zone whose name merely starts with the region name', () => {
    onlyProblem({ network: { zones: ['us-east-1a', 'us-east-10a'] } }, 'network.zones[1]', 'zone "us-east-10a" is not in region "us-east-1"');
    onlyProblem({ network: { zones: ['us-east-1a', 'us-east-1ab'] } }, 'network.zones[1]', 'is not in region');
  });
});

describe('tags the stack writes', () => {
  it('reserves every key of the one table of stack tags, and nothing else', () => {
    for (const key of ['tier', 'public', 'backup', 'mountPath', 'Name', 'managed-by']) {
      onlyProblem({ tags: { [key]: 'v' } }, `tags.${key}`, `tag key "${key}" is set by the stack itself`);
    }
    assert.deepEqual([...STACK_TAG_KEYS].sort(), ['Name', 'backup', 'cluster', 'managed-by', 'mountPath', 'pool', 'public', 'role', 'services', 'tier']);
    valid({ tags: { Tier: 'x', owner: 'y' } });
  });
  it('allows as many user tags as leave room for every stack tag under AWS limit of 50', () => {
    assert.equal(MAX_USER_TAGS, 50 - STACK_TAG_KEYS.length);
  });
  it('writes only table keys and at most 50 tags on every resource, with the most user tags allowed', () => {
    const given = Object.keys(exampleCluster().tags).length; // the example's own tags stay
    const tags = Object.fromEntries(Array.from({ length: MAX_USER_TAGS - given }, (_, i) => [`t${i}`, 'v']));
    const cluster = exampleCluster({ tags });
    assert.equal(Object.keys(cluster.tags).length, MAX_USER_TAGS);
    const { json } = synthAws(cluster);
    const defaults: Record<string, string> = json.provider.aws[0].default_tags[0].tags;
    let tagged = 0;
    for (const [type, byName] of Object.entries(json.resource)) {
      for (const [name, resource] of Object.entries(byName)) {
        const sets: Record<string, string>[] = [resource.tags, resource.root_block_device?.tags, ...(resource.tag_specifications ?? []).map((s: any) => s.tags)].filter(Boolean);
        if (Array.isArray(resource.tag)) sets.push(Object.fromEntries(resource.tag.map((t: any) => [t.key, t.value])));
        for (const set of sets) {
          tagged++;
          const all = { ...defaults, ...set };
          assert.ok(Object.keys(all).length <= 50, `${type}.${name}: ${Object.keys(all).length} tags`);
          const own = Object.keys(all).filter((k) => !(k in cluster.tags));
          assert.deepEqual(own.filter((k) => !(STACK_TAG_KEYS as readonly string[]).includes(k)), [], `${type}.${name} writes a tag missing from STACK_TAGS`);
        }
      }
    }
    assert.ok(tagged > 20, `${tagged} tag sets checked`);
  });
});

describe('validation: admin CIDRs and security group quotas', () => {
  const cidrs = (n: number) => Array.from({ length: n }, (_, i) => `198.51.${i}.0/24`);
  it(`allows ${MAX_ADMIN_CIDRS} admin CIDRs, as many as the load balancer group's inbound rules hold`, () => {
    assert.equal(MAX_ADMIN_CIDRS, 30);
    valid({ network: { adminCidrs: cidrs(MAX_ADMIN_CIDRS) } });
    onlyProblem({ network: { adminCidrs: cidrs(MAX_ADMIN_CIDRS + 1) } }, 'network.adminCidrs', '31 admin CIDRs given; at most 30', '60 inbound rules per group');
  });
});
