import { describe, it } from 'node:test';
import { oneZookeeperConnectString } from '../../../lib/policy/rules/one-zookeeper-connect-string';
import { assertFails, assertPasses, cloudConfig } from '../../support/policy-fixtures';

const ensemble = '10.0.0.1:2181,10.0.0.2:2181,10.0.0.3:2181';
const zooCfg = 'server.1=10.0.0.1:2888:3888\nserver.2=10.0.0.2:2888:3888\nserver.3=10.0.0.3:2888:3888\n';
const zk = (n: number, cfg = zooCfg) => ({ private_ip: `10.0.0.${n}`, user_data: cloudConfig({ CLUSTER_SERVICES: 'zookeeper', CLUSTER_ZK_CONNECT: ensemble }, { '/etc/zookeeper/conf/zoo.cfg': cfg }) });
const client = (connect: string) => ({ user_data: cloudConfig({ CLUSTER_SERVICES: 'marathon', CLUSTER_ZK_CONNECT: ensemble }, { '/etc/default/marathon': `MARATHON_ZK=zk://${connect}/marathon\n` }) });

describe('rule one-zookeeper-connect-string', () => {
  it('passes every role naming the ensemble, and zoo.cfg listing it', () => {
    assertPasses(oneZookeeperConnectString, { resource: { aws_instance: { zk1: zk(1), zk2: zk(2), zk3: zk(3), marathon: client(ensemble) } } });
  });

  it('reads the hosts of a URL that carries credentials, even a secret template with a slash', () => {
    assertPasses(oneZookeeperConnectString, { resource: { aws_instance: { zk1: zk(1), zk2: zk(2), zk3: zk(3), marathon: client(`marathon:{{marathon/zk-password}}@${ensemble}`) } } });
    assertFails(
      oneZookeeperConnectString,
      { resource: { aws_instance: { zk1: zk(1), zk2: zk(2), zk3: zk(3), marathon: client('marathon:{{marathon/zk-password}}@10.0.0.1:2181') } } },
      { 'aws_instance.marathon': /names ZooKeeper 10\.0\.0\.1:2181, the ensemble is/ },
    );
  });

  it('fails a client that names two of three servers, and a zoo.cfg missing a member', () => {
    assertFails(
      oneZookeeperConnectString,
      { resource: { aws_instance: { zk1: zk(1), zk2: zk(2), zk3: zk(3, zooCfg.replace(/server\.3.*\n/, '')), marathon: client('10.0.0.1:2181,10.0.0.2:2181') } } },
      { 'aws_instance.marathon': /names ZooKeeper 10\.0\.0\.1:2181,10\.0\.0\.2:2181, the ensemble is/, 'aws_instance.zk3 zoo.cfg': /lists servers 10\.0\.0\.1, 10\.0\.0\.2, the ensemble/ },
    );
  });
});
