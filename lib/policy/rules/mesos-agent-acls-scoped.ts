import { MASTER_ACLS_FILE } from '../../cloud-init/mesos-auth';
import { OPERATOR_PRINCIPAL } from '../../model';
import { judge, NO_SCANNER, PolicyRule } from '../rule';
import { cloudConfigFiles } from '../user-data-contents';

/** Actions on agents whose ACL object Mesos 1.11 cannot scope (ANY or NONE): the operator's alone. */
const OPERATOR_ONLY_AGENT_ACTIONS = ['drain_agents', 'reactivate_agents', 'mark_agents_gone', 'deactivate_agents'];

type Entity = { values?: string[]; type?: string };
type Entry = Record<string, Entity>;

/** Each master's rendered --acls: no agent principal drains, and register_agents names its principals. */
export const mesosAgentAclsScoped: PolicyRule = {
  id: 'mesos-agent-acls-scoped',
  level: 'error',
  clouds: ['aws', 'openstack'],
  summary: 'each master\'s `--acls` gives drain, reactivate, mark gone and deactivate agents to `operator` alone, and `register_agents` names principals, not ANY',
  mirrors: NO_SCANNER,
  explanation: `Whoever may drain, reactivate, mark gone or deactivate agents may do it to any agent, the Jenkins masters' included; only ${OPERATOR_PRINCIPAL} may, and register_agents names the agent principals instead of ANY`,
  fix: 'give these actions to the operator alone in lib/cloud-init/mesos-acls.ts (agents drain through the drain gate) and list the pools\' principals in register_agents',
  evaluate: ({ view }) =>
    view.nodes
      .filter((n) => n.services.includes('mesos-master'))
      .map((master) => {
        const text = cloudConfigFiles(master.userData ?? '').get(MASTER_ACLS_FILE);
        if (text === undefined) return judge(master.address, `its user-data writes no ${MASTER_ACLS_FILE}`, '');
        let acls: Record<string, Entry[]>;
        try {
          acls = JSON.parse(text);
        } catch {
          return judge(master.address, `${MASTER_ACLS_FILE} is not JSON`, '');
        }
        const grants = (entry: Entry) => Object.entries(entry).some(([field, e]) => field !== 'principals' && e.type !== 'NONE');
        const problems = [
          ...OPERATOR_ONLY_AGENT_ACTIONS.flatMap((action) =>
            (acls[action] ?? [])
              .filter((entry) => grants(entry) && (entry.principals?.type === 'ANY' || (entry.principals?.values ?? []).some((p) => p !== OPERATOR_PRINCIPAL)))
              .map((entry) => `${action} granted to ${entry.principals?.type ?? (entry.principals?.values ?? []).join(', ')}`),
          ),
          ...(acls.register_agents ?? []).filter((entry) => grants(entry) && entry.principals?.type === 'ANY').map(() => 'register_agents granted to ANY'),
        ];
        return judge(master.address, problems.length > 0 ? problems.join('; ') : undefined, 'agent actions are the operator\'s; register_agents names principals');
      }),
};
