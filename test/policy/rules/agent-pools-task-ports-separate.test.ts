import { describe, it } from 'node:test';
import { PORTS, TASK_PORTS } from '../../../lib/model';
import { agentPoolsTaskPortsSeparate } from '../../../lib/policy/rules/agent-pools-task-ports-separate';
import { assertFails, assertPasses, ref } from '../../support/policy-fixtures';

const groups = { agents: {}, 'tasks-builds': {}, 'tasks-masters': {}, marathon: {} };
const pool = (own: string) => ({ tags: { role: 'mesos-agent' }, vpc_security_group_ids: [ref('aws_security_group.agents'), ref(`aws_security_group.${own}`)] });
const nodes = { aws_launch_template: { builds: pool('tasks-builds') }, aws_instance: { masters: pool('tasks-masters'), marathon: { tags: { role: 'marathon' }, vpc_security_group_ids: [ref('aws_security_group.marathon')] } } };
const rule = (to: string, from: string, fromPort: number, toPort = fromPort) => ({
  security_group_id: ref(`aws_security_group.${to}`),
  referenced_security_group_id: ref(`aws_security_group.${from}`),
  from_port: fromPort,
  to_port: toPort,
  ip_protocol: 'tcp',
});

describe('rule agent-pools-task-ports-separate', () => {
  it("passes builds to their Jenkins master's two ports, and Marathon to every task port", () => {
    assertPasses(agentPoolsTaskPortsSeparate, {
      resource: {
        aws_security_group: groups,
        ...nodes,
        aws_vpc_security_group_ingress_rule: {
          http: rule('tasks-masters', 'tasks-builds', PORTS.jenkinsHttp),
          agent: rule('tasks-masters', 'tasks-builds', PORTS.jenkinsInboundAgent),
          both: rule('tasks-masters', 'tasks-builds', PORTS.jenkinsHttp, PORTS.jenkinsInboundAgent),
          marathon: rule('agents', 'marathon', TASK_PORTS.from, TASK_PORTS.to),
        },
      },
    });
  });

  it('fails every task port from the shared agent group (the old rule), builds to builds, and one other port of the masters', () => {
    assertFails(
      agentPoolsTaskPortsSeparate,
      {
        resource: {
          aws_security_group: groups,
          ...nodes,
          aws_vpc_security_group_ingress_rule: {
            shared: rule('agents', 'agents', TASK_PORTS.from, TASK_PORTS.to),
            builds: rule('tasks-builds', 'tasks-builds', TASK_PORTS.from, TASK_PORTS.to),
            other: rule('tasks-masters', 'tasks-builds', 31500),
          },
        },
      },
      {
        'aws_vpc_security_group_ingress_rule.shared': /opens task ports 31000-32000 of aws_security_group\.agents to aws_security_group\.agents/,
        'aws_vpc_security_group_ingress_rule.builds': /31000-32000/,
        'aws_vpc_security_group_ingress_rule.other': /31500-31500/,
      },
    );
  });
});
