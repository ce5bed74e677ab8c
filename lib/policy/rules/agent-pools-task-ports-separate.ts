import { PORTS, TASK_PORTS } from '../../model';
import { judge, notApplicable, NO_SCANNER, PolicyRule } from '../rule';

/** The only task ports one agent may open to another: a Jenkins master's, for its builds' agents. */
export const BETWEEN_AGENTS: readonly number[] = [PORTS.jenkinsHttp, PORTS.jenkinsInboundAgent];

/** No agent pool is open to another's task ports, but for the Jenkins masters' two ports. */
export const agentPoolsTaskPortsSeparate: PolicyRule = {
  id: 'agent-pools-task-ports-separate',
  level: 'error',
  clouds: ['aws', 'openstack'],
  summary: 'between agents\' groups no task port is open but a Jenkins master\'s HTTP and inbound-agent ports (31080, 31081)',
  mirrors: NO_SCANNER,
  explanation: `Between agents' security groups only ports ${BETWEEN_AGENTS.join(' and ')} (a Jenkins master's HTTP and inbound-agent ports) are open, so a build reaches no other task of the Jenkins masters' agents and no task of another build`,
  fix: 'admit task ports between pools only through lib/model/pool-task-ports.ts, one Jenkins port per rule, never the task range from the mesos-agent group',
  evaluate: ({ view }) => {
    const agentGroups = new Set(view.nodes.filter((n) => n.role === 'mesos-agent').flatMap((n) => n.groups));
    return view.ingress.map((permission) => {
      const source = permission.source;
      if (!agentGroups.has(permission.group) || !('group' in source) || !agentGroups.has(source.group)) {
        return notApplicable(permission.address, 'not from one agent group into another');
      }
      const from = Math.max(permission.fromPort, TASK_PORTS.from);
      const to = Math.min(permission.toPort, TASK_PORTS.to);
      const extra = to - from + 1 > BETWEEN_AGENTS.length || (from <= to && ![from, to].every((p) => BETWEEN_AGENTS.includes(p)));
      return judge(permission.address, extra ? `opens task ports ${from}-${to} of ${permission.group} to ${source.group}` : undefined, 'task ports between agents: the Jenkins ports only');
    });
  },
};
