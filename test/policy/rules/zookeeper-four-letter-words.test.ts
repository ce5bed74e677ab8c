import { describe, it } from 'node:test';
import { zookeeperFourLetterWords } from '../../../lib/policy/rules/zookeeper-four-letter-words';
import { assertFails, assertPasses, cloudConfig } from '../../support/policy-fixtures';

const zk = (line: string) => ({ user_data: cloudConfig({ CLUSTER_SERVICES: 'zookeeper' }, { '/etc/zookeeper/conf/zoo.cfg': `clientPort=2181\n${line}\n` }) });

describe('rule zookeeper-four-letter-words', () => {
  it('passes ruok, srvr and mntr, and a zoo.cfg without the key (srvr alone)', () => {
    assertPasses(zookeeperFourLetterWords, { resource: { aws_instance: { zk1: zk('4lw.commands.whitelist=ruok,srvr,mntr'), zk2: zk('') } } });
  });

  it('fails stat and conf, and the wildcard', () => {
    assertFails(
      zookeeperFourLetterWords,
      { resource: { aws_instance: { zk1: zk('4lw.commands.whitelist=ruok,srvr,mntr,stat,conf,isro'), zk2: zk('4lw.commands.whitelist=*') } } },
      { 'aws_instance.zk1 zoo.cfg': /allows stat, conf, isro/, 'aws_instance.zk2 zoo.cfg': /allows \*/ },
    );
  });
});
