import { stringify } from 'yaml';
import { ClusterTopology, JENKINS_PRINCIPAL } from '../model';
import { DOCKER_SOCKET } from '../cloud-init/mesos-agent-files';
import { JENKINS_FRAMEWORK_SECRET_MOUNT, JenkinsMaster } from './jenkins-master-app';

/** The image builds run in: a JNLP agent with a Docker client for the host's daemon. */
export const DEFAULT_BUILD_IMAGE = 'jenkins/inbound-agent:latest-jdk17';

/** The Jenkins credential that holds the framework secret of principal `jenkins`. */
export const MESOS_FRAMEWORK_CREDENTIAL_ID = 'mesos-framework-jenkins';

/**
 * Jenkins Configuration-as-Code for the mesos plugin 2.0. Every key is a constructor parameter of
 * the plugin's classes (reference/jenkins-mesos-plugin/) or, for the credential, of the
 * credentials plugin's (reference/jenkins-credentials-plugin/); test/apps holds it to both.
 * A Mesos cloud that runs each build in Docker on the unreserved (`*`) resources, which only
 * the build pools offer (pools reserved for Marathon offer theirs to its role), with the host's
 * Docker socket mounted so image layers are cached once per host. Jenkins reads it from its
 * home (`casc.jenkins.config`); `${HOST}` and `${PORT0}` are the task's own address, resolved
 * by Configuration-as-Code from its environment.
 */
export function mesosCloudCasc(topology: ClusterTopology, master: JenkinsMaster, buildImage = DEFAULT_BUILD_IMAGE): string {
  const config = {
    jenkins: {
      clouds: [
        {
          mesos: {
            // The plugin looks the leading master up in ZooKeeper when it connects (/mesos is
            // world-readable, masters advertise their IP), so no one master has to be up.
            mesosMasterUrl: topology.mesos.zkUrl,
            frameworkName: `jenkins-${master.agent.name}`,
            // Fixed: without it every start of Jenkins registers a new framework and strands
            // the old one's builds until its failover timeout (7 days).
            frameworkId: `${topology.cluster.name}-jenkins-${master.agent.name}`,
            role: '*',
            // Builds run as root: they hold the host's Docker socket, which is root already,
            // and Mesos runs a task as this user only if the agent has it (no `jenkins` there).
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
    // The framework credential, read from the agent's copy mounted read-only into the
    // container (never written into this file); SYSTEM scope: Jenkins itself, not jobs.
    // The mesos plugin 2.0 has no key that takes it (README "From deploy to a first Jenkins build").
    credentials: {
      system: {
        domainCredentials: [
          {
            credentials: [
              {
                usernamePassword: {
                  scope: 'SYSTEM',
                  id: MESOS_FRAMEWORK_CREDENTIAL_ID,
                  description: `Mesos framework principal ${JENKINS_PRINCIPAL}`,
                  username: JENKINS_PRINCIPAL,
                  password: `\${readFile:${JENKINS_FRAMEWORK_SECRET_MOUNT}}`,
                },
              },
            ],
          },
        ],
      },
    },
  };
  return `# Written by npm run apps for ${master.appId}; copy to ${master.hostPath}/casc.yaml (README "From deploy to a first Jenkins build").\n${stringify(config)}`;
}
