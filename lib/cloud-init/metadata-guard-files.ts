import { NODE, UnitGroup } from './layout';
import { renderTemplate } from './templates';
import { configFile, WriteFile } from './write-file';

/** The instance metadata service: the same link-local address on AWS and OpenStack. */
export const METADATA_ADDRESS = '169.254.169.254';

/**
 * Every agent runs others' code (builds, Jenkins masters on the host network): only root on the
 * host reaches the metadata service (cloud-init/scripts/metadata-guard.sh says who needs it).
 */
export const metadataGuardUnits = (): UnitGroup[] => ['metadata-guard'];
export const metadataGuardHelpers = (): string[] => ['metadata-guard'];

export function metadataGuardFiles(): WriteFile[] {
  return [
    configFile(
      '/etc/systemd/system/mesos-cluster-metadata-guard.service',
      renderTemplate('mesos/metadata-guard.service.ejs', { script: `${NODE.scriptDir}/metadata-guard` }),
    ),
  ];
}
