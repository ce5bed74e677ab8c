import { MESOS } from './layout';
import { LibprocessSetting } from './libprocess-tls-files';
import { renderTemplate } from './templates';
import { configFile, WriteFile } from './write-file';

/**
 * Replaces the package's /etc/default files for a Mesos role with ones that set no flag, so
 * every flag comes from exactly one place: the role's flag folder. The common file carries
 * libprocess's own environment (`environment`: LIBPROCESS_SSL_*), which is not a flag.
 */
export function mesosDefaultsFiles(role: 'master' | 'agent', environment: readonly LibprocessSetting[] = []): WriteFile[] {
  const flagDir = role === 'master' ? MESOS.masterFlagDir : MESOS.agentFlagDir;
  const own = role === 'master' ? MESOS.masterDefaults : MESOS.agentDefaults;
  const render = (path: string, packageVariables: string, settings: readonly LibprocessSetting[]) =>
    configFile(path, renderTemplate('mesos/defaults.ejs', { path, flagDir, packageVariables, settings }));
  return [
    render(MESOS.defaultsCommon, 'LOGS (--log_dir) and ULIMIT', environment),
    render(own, role === 'master' ? 'ZK (--zk) and PORT (--port)' : 'MASTER (--master)', []),
  ];
}
