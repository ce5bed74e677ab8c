import { dataVolumeLost, volumeAgentReplaced } from '../messages';
import { becauseOf, ChangeCheck, Finding } from './change-check';

/**
 * A data volume destroyed, or the instance it is attached to replaced or destroyed, found in
 * the plan itself: `prevent_destroy` guards the volumes only where the configuration still has it.
 */
export const dataLossCheck: ChangeCheck = {
  id: 'data-loss',
  summary: 'replacing or destroying a data volume or the instance a data volume is attached to',
  run(resources) {
    const findings: Finding[] = [];
    for (const resource of resources) {
      const { what, effect } = resource;
      if (effect !== 'replace' && effect !== 'destroy') continue;
      if (what.kind === 'data-volume') {
        findings.push({ check: this.id, address: resource.change.address, message: dataVolumeLost(what.name, what.pool, effect, becauseOf(resource)) });
      } else if (what.kind === 'agent' && what.hasData) {
        findings.push({ check: this.id, address: resource.change.address, message: volumeAgentReplaced(what.name, what.pool, effect, becauseOf(resource)) });
      }
    }
    return findings;
  },
};
