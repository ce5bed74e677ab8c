import { NODE } from '../../cloud-init/layout';
import { judge, NO_SCANNER, notApplicable, PolicyRule } from '../rule';
import { cloudConfigFiles, joinContinuedLines } from '../user-data-contents';

const UNIT = '/etc/systemd/system/mesos-cluster-metadata-guard.service';
const SCRIPT = `${NODE.scriptDir}/metadata-guard`;

/** What is missing of the guard in an agent's user-data, or undefined. */
function missingGuard(userData: string): string | undefined {
  const files = cloudConfigFiles(userData);
  const script = files.get(SCRIPT) ?? '';
  const configure = files.get(`${NODE.scriptDir}/configure-node`) ?? '';
  if (!files.has(UNIT)) return `writes no ${UNIT}`;
  if (!/--enable [^\n]*mesos-cluster-metadata-guard/.test(joinContinuedLines(configure))) return 'does not enable mesos-cluster-metadata-guard';
  if (!/-m owner ! --uid-owner 0 -j REJECT/.test(script)) return `${SCRIPT} does not refuse the metadata service to non-root users`;
  if (!/raw PREROUTING [^\n]*-j DROP/.test(script)) return `${SCRIPT} does not drop containers' packets to the metadata service`;
  return undefined;
}

/** Every agent runs others' code: only root on the host reaches the instance metadata service. */
export const agentMetadataGuard: PolicyRule = {
  id: 'agent-metadata-guard',
  level: 'error',
  clouds: ['aws', 'openstack'],
  summary: 'every agent writes and enables the metadata guard: 169.254.169.254 for root on the host only, never for containers',
  mirrors: NO_SCANNER,
  explanation: "Builds and Jenkins masters run on the agents; the metadata service hands out the node's cloud credentials and user-data to whoever asks",
  fix: 'render every agent pool through poolPlan, which writes and enables the metadata guard (lib/cloud-init/metadata-guard-files.ts)',
  evaluate: ({ view }) =>
    view.nodes.map((node) => {
      if (node.role !== 'mesos-agent') return notApplicable(node.address, `role ${node.role ?? 'unknown'}`);
      return judge(node.address, missingGuard(node.userData ?? ''), 'metadata service for root on the host only');
    }),
};
