import { describe, it } from 'node:test';
import { zookeeperRootAclHosts } from '../../../lib/policy/rules/zookeeper-root-acl-hosts';
import { assertFails, assertPasses, cloudConfig } from '../../support/policy-fixtures';

const zk = (acl?: string) => ({
  user_data: cloudConfig(
    { CLUSTER_SERVICES: 'zookeeper' },
    { '/usr/local/lib/mesos-cluster/configure-node': `#!/bin/bash\n"\${lib}/activate-units"\n${acl ? `"\${lib}/protect-zookeeper-root" ${acl}` : ''}` },
  ),
});

describe('rule zookeeper-root-acl-hosts', () => {
  it("passes a root ACL of world read and each quorum server's own address", () => {
    assertPasses(zookeeperRootAclHosts, { resource: { aws_instance: { zk1: zk('world:anyone:r \\\n  ip:10.20.224.10/32:cdrwa ip:10.20.228.10/32:cdrwa') } } });
  });

  it('fails a subnet, a world that may write, and a server that never protects the root', () => {
    assertFails(
      zookeeperRootAclHosts,
      { resource: { aws_instance: { zk1: zk('world:anyone:r,ip:10.20.224.0/22:cdrwa'), zk2: zk('world:anyone:cdrwa'), zk3: zk() } } },
      { 'aws_instance.zk1': /ip:10\.20\.224\.0\/22:cdrwa admits a subnet/, 'aws_instance.zk2': /world:anyone:cdrwa admits everyone/, 'aws_instance.zk3': /never sets the ACL of \// },
    );
  });
});
