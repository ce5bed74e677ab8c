import { stringify } from 'yaml';
import { FRAMEWORK_PROXY_URL } from '../cloud-init/framework-proxy-files';
import { DOCKER_SOCKET } from '../cloud-init/mesos-agent-files';
import { JenkinsMaster } from './jenkins-master-app';

/** The image builds run in: a JNLP agent with a Docker client for the host's daemon. */
export const DEFAULT_BUILD_IMAGE = 'jenkins/inbound-agent:latest-jdk17';

/**
 * Jenkins Configuration-as-Code for the mesos plugin 2.0. Every key is a constructor parameter of
 * the plugin's classes (reference/jenkins-mesos-plugin/); test/apps holds it to them.
 * A Mesos cloud that runs each build in Docker on the unreserved (`*`) resources, which only
 * the build pools offer (pools reserved for Marathon offer theirs to its role), with the host's
 * Docker socket mounted so image layers are cached once per host. Jenkins reads it from its
 * home (`casc.jenkins.config`); `${HOST}` and `${PORT0}` are the task's own address, resolved
 * by Configuration-as-Code from its environment.
 */
export function mesosCloudCasc(master: JenkinsMaster, buildImage = DEFAULT_BUILD_IMAGE): string {
  const config = {
    jenkins: {
      // No builds on the master itself: a job there would share the host's network, and with it
      // the agent's framework proxy (docs/ci-platform.md#the-framework-proxy).
      numExecutors: 0,
      clouds: [
        {
          mesos: {
            // The agent's own HAProxy (the master runs with the host's network): it adds the
            // Mesos credential of principal jenkins, which the plugin cannot send, and always
            // reaches the leader, where a ZooKeeper URL is resolved once, at Jenkins' start.
            mesosMasterUrl: FRAMEWORK_PROXY_URL,
            frameworkName: master.frameworkName,
            // Fixed: without it every start of Jenkins registers a new framework and strands
            // the old one's builds until its failover timeout (7 days).
            frameworkId: master.frameworkId,
            role: '*',
            // Builds run as root: they hold the host's Docker socket (its daemon refuses what would
            // reach the host, cloud-init/docker/authz.rego), and Mesos runs a task as this user
            // only if the agent has it (no `jenkins` there).
            agentUser: 'root',
            jenkinsURL: `http://\${HOST}:\${PORT0}${master.path}`,
            mesosAgentSpecTemplates: [
              {
                label: 'docker',
                mode: 'NORMAL',
                cpus: '1.0',
                mem: '2048',
                disk: '0',
                idleTerminationMinutes: 5,
                minExecutors: 1,
                maxExecutors: 1,
                jnlpArgs: '',
                containerInfo: {
                  type: 'DOCKER',
                  dockerImage: buildImage,
                  // Said, not left to the plugin's default: build agents' Docker refuses the host's.
                  networking: 'BRIDGE',
                  isDind: false,
                  dockerPrivilegedMode: false,
                  dockerForcePullImage: false,
                  volumes: [{ containerPath: DOCKER_SOCKET, hostPath: DOCKER_SOCKET, readOnly: false }],
                },
              },
            ],
          },
        },
      ],
    },
  };
  return `# Written by npm run apps for ${master.appId}; copy to ${master.hostPath}/casc.yaml (docs/ci-platform.md#from-deploy-to-a-first-jenkins-build).\n${stringify(config)}`;
}
