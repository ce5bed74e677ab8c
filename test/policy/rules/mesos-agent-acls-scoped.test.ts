import { describe, it } from 'node:test';
import { mesosAgentAclsScoped } from '../../../lib/policy/rules/mesos-agent-acls-scoped';
import { assertFails, assertPasses, cloudConfig } from '../../support/policy-fixtures';

const operator = [{ principals: { values: ['operator'] }, agents: { type: 'ANY' } }];
const scoped = {
  register_agents: [{ principals: { values: ['agent-builds'] }, agents: { type: 'ANY' } }],
  drain_agents: operator,
  reactivate_agents: operator,
  mark_agents_gone: operator,
  deactivate_agents: operator,
};
const master = (acls: unknown) => ({ user_data: cloudConfig({ CLUSTER_SERVICES: 'mesos-master' }, { '/etc/mesos-cluster/mesos-acls.json': JSON.stringify(acls) }) });

describe('rule mesos-agent-acls-scoped', () => {
  it("passes agent actions that are the operator's alone, an entry that refuses frameworks, and register_agents naming the pools' principals", () => {
    const refusing = { ...scoped, drain_agents: [{ principals: { values: ['jenkins'] }, agents: { type: 'NONE' } }, ...operator] };
    assertPasses(mesosAgentAclsScoped, { resource: { aws_instance: { master1: master(scoped), master2: master(refusing) } } });
  });

  it('fails draining by any principal or by an agent principal, and register_agents for ANY', () => {
    const any = [{ principals: { values: ['jenkins'] }, agents: { type: 'NONE' } }, { principals: { type: 'ANY' }, agents: { type: 'ANY' } }];
    assertFails(
      mesosAgentAclsScoped,
      {
        resource: {
          aws_instance: {
            master1: master({ ...scoped, drain_agents: any, register_agents: [{ principals: { type: 'ANY' }, agents: { type: 'ANY' } }] }),
            master2: master({ ...scoped, mark_agents_gone: [{ principals: { values: ['operator', 'agent-builds'] }, agents: { type: 'ANY' } }] }),
          },
        },
      },
      { 'aws_instance.master1': /drain_agents granted to ANY; register_agents granted to ANY/, 'aws_instance.master2': /mark_agents_gone granted to operator, agent-builds/ },
    );
  });
});
