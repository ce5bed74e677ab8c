import { MESOS } from './layout';
import { renderTemplate } from './templates';
import { configFile, WriteFile } from './write-file';

/**
 * Replaces the package's /etc/default files for a Mesos role with ones that set nothing, so
 * every flag comes from exactly one place: the role's flag folder.
 */
export function mesosDefaultsFiles(role: 'master' | 'agent'): WriteFile[] {
  const flagDir = role === 'master' ? MESOS.masterFlagDir : MESOS.agentFlagDir;
  const own = role === 'master' ? MESOS.masterDefaults : MESOS.agentDefaults;
  const render = (path: string, packageVariables: string) =>
    configFile(path, renderTemplate('mesos/defaults.ejs', { path, flagDir, packageVariables }));
  return [
    render(MESOS.defaultsCommon, 'LOGS (--log_dir) and ULIMIT'),
    render(own, role === 'master' ? 'ZK (--zk) and PORT (--port)' : 'MASTER (--master)'),
  ];
}
