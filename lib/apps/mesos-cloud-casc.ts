import { stringify } from 'yaml';
import { ClusterTopology, PORTS } from '../model';
import { DOCKER_SOCKET } from '../cloud-init/mesos-agent-files';
import { JenkinsMaster } from './jenkins-master-app';

/** The image builds run in: a JNLP agent with a Docker client for the host's daemon. */
export const DEFAULT_BUILD_IMAGE = 'jenkins/inbound-agent:latest-jdk17';

/**
 * Jenkins Configuration-as-Code for the mesos plugin 2.x: a Mesos cloud that runs each build in
 * Docker on the unreserved (`*`) resources, which only the build pools offer (pools reserved for
 * Marathon offer theirs to its role), with the host's Docker socket mounted so image layers are
 * cached once per host. Jenkins reads it from its home (`casc.jenkins.config`); `${HOST}` and
 * `${PORT0}` are the task's own address, resolved by Configuration-as-Code from its environment.
 */
export function mesosCloudCasc(topology: ClusterTopology, master: JenkinsMaster, buildImage = DEFAULT_BUILD_IMAGE): string {
  const leader = topology.mesos.masters[0];
  const config = {
    jenkins: {
      clouds: [
        {
          mesos: {
            // Any master: standbys redirect the scheduler to the leader.
            mesosMasterUrl: `http://${leader.privateIp}:${PORTS.mesosMaster}`,
            frameworkName: `jenkins-${master.agent.name}`,
            role: '*',
            agentUser: 'jenkins',
            jenkinsUrl: `http://\${HOST}:\${PORT0}${master.path}`,
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
  return `# Written by npm run apps for ${master.appId}; copy to ${master.hostPath}/casc.yaml (README "From deploy to a first build").\n${stringify(config)}`;
}
