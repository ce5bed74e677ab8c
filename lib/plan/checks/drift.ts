import { driftedOutsideTerraform } from '../messages';
import { ChangeCheck, Finding } from './change-check';

/**
 * A plan that also undoes drift (an instance terminated or a rule removed by hand) carries a
 * change nobody reviewed under the pull request's name, and for a quorum server one the other
 * checks would misread (a re-created server looks like a bigger quorum). Each such resource is
 * named with what happened to it.
 */
export const driftCheck: ChangeCheck = {
  id: 'drifted-outside-terraform',
  summary: 'a resource deleted or changed outside Terraform that the plan would re-create or set back',
  run(resources) {
    const findings: Finding[] = [];
    for (const resource of resources) {
      if (resource.drift === undefined || resource.effect === 'none') continue;
      const subject = resource.what.kind === 'quorum-server' ? `quorum server ${resource.what.name}` : resource.change.address;
      findings.push({ check: this.id, address: resource.change.address, message: driftedOutsideTerraform(subject, resource.drift, resource.what.kind === 'quorum-server') });
    }
    return findings;
  },
};
