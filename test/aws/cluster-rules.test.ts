import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { onlyProblem, resolve, valid } from '../model/fixtures';

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
