import { DOCKER_AUTHZ } from '../../cloud-init/docker-authz-files';
import { judge, NO_SCANNER, notApplicable, PolicyRule } from '../rule';
import { cloudConfigFiles, factOf } from '../user-data-contents';

/** What is missing of the authorization plugin in a build agent's user-data, or undefined. */
function missingAuthz(userData: string): string | undefined {
  const files = cloudConfigFiles(userData);
  let plugins: unknown;
  try {
    plugins = JSON.parse(files.get(DOCKER_AUTHZ.daemonConfig) ?? '{}')['authorization-plugins'];
  } catch {
    return `${DOCKER_AUTHZ.daemonConfig} is not JSON`;
  }
  if (!Array.isArray(plugins) || !plugins.includes(DOCKER_AUTHZ.plugin)) return `${DOCKER_AUTHZ.daemonConfig} does not name the authorization plugin ${DOCKER_AUTHZ.plugin}`;
  if (!/^package docker\.authz$/m.test(files.get(DOCKER_AUTHZ.policy) ?? '')) return `writes no policy ${DOCKER_AUTHZ.policy}`;
  return undefined;
}

/** Where builds share the host's Docker daemon, the daemon asks the policy about every request. */
export const buildDockerAuthz: PolicyRule = {
  id: 'build-docker-authz',
  level: 'error',
  clouds: ['aws', 'openstack'],
  summary: 'build agents\' `daemon.json` names the `opa-docker-authz` plugin and their user-data writes its policy',
  mirrors: NO_SCANNER,
  explanation: "A build holds the Docker socket; without the authorization plugin it can start a privileged or host-network container and read the agent's credentials",
  fix: 'render build pools (docker, role *) through poolPlan, which writes daemon.json and the policy (lib/cloud-init/docker-authz-files.ts)',
  evaluate: ({ view }) =>
    view.nodes.map((node) => {
      const role = factOf(node.userData ?? '', 'CLUSTER_MESOS_ROLE');
      if (node.role !== 'mesos-agent' || !node.services.includes('docker') || role !== '*') return notApplicable(node.address, 'runs no builds in Docker');
      return judge(node.address, missingAuthz(node.userData ?? ''), `Docker asks ${DOCKER_AUTHZ.plugin}`);
    }),
};
