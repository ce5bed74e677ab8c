import { describe, it } from 'node:test';
import { mesosQuorumMajority } from '../../../lib/policy/rules/mesos-quorum-majority';
import { assertFails, assertPasses, cloudConfig } from '../../support/policy-fixtures';

const master = (quorum?: string) => ({ user_data: cloudConfig({ CLUSTER_SERVICES: 'mesos-master' }, quorum === undefined ? {} : { '/etc/mesos-master/quorum': `${quorum}\n` }) });

describe('rule mesos-quorum-majority', () => {
  it('passes three masters rendered with --quorum=2', () => {
    assertPasses(mesosQuorumMajority, { resource: { aws_instance: { m1: master('2'), m2: master('2'), m3: master('2') } } });
  });

  it('fails a master with --quorum=1 and one with no --quorum at all', () => {
    assertFails(
      mesosQuorumMajority,
      { resource: { aws_instance: { m1: master('2'), m2: master('1'), m3: master() } } },
      { 'aws_instance.m2': /--quorum=1, but 3 masters need 2/, 'aws_instance.m3': /sets no --quorum/ },
    );
  });
});
