import { AgentPoolTopology, hostsJenkinsMasters, JENKINS_FRAMEWORK_SECRET } from '../model';
import { placeholder, SecretFile, secretPath } from './secret-files';

/**
 * The Jenkins masters' Mesos framework secret (principal `jenkins`), on each agent that hosts
 * them: root-only on the host, off the data volume (whose snapshots are backups), and mounted
 * read-only into each master's container (lib/apps/jenkins-master-app.ts). The bare value, no
 * newline, as Configuration-as-Code's `${readFile:...}` reads it.
 */
export const JENKINS_FRAMEWORK_SECRET_FILE: SecretFile = {
  path: secretPath('mesos-framework-jenkins'),
  template: placeholder(JENKINS_FRAMEWORK_SECRET),
  mode: '0400',
  owner: 'root:root',
};

export function jenkinsFrameworkSecretFiles(pool: AgentPoolTopology): SecretFile[] {
  return hostsJenkinsMasters(pool) ? [JENKINS_FRAMEWORK_SECRET_FILE] : [];
}
