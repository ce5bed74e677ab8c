import { QuorumService } from '../cluster-resources';
import { quorumServerReplaced, tooManyQuorumServersAtOnce } from '../messages';
import { becauseOf, ChangeCheck, Finding } from './change-check';

/**
 * A quorum server leaves its ensemble while it is replaced or destroyed: only a server the pull
 * request names may go, and never two of one quorum at once (two of three is a lost quorum).
 */
export const quorumServerReplacedCheck: ChangeCheck = {
  id: 'quorum-server-replaced',
  summary: 'replacing or destroying a ZooKeeper, Mesos master or Marathon server the PR does not name; more than one per quorum at once',
  run(resources, options) {
    const findings: Finding[] = [];
    const leaving = new Map<QuorumService, string[]>();
    for (const resource of resources) {
      const { what, effect } = resource;
      if (what.kind !== 'quorum-server' || (effect !== 'replace' && effect !== 'destroy')) continue;
      for (const service of what.services) leaving.set(service, [...(leaving.get(service) ?? []), what.name]);
      if (!options.allowReplace.has(what.name)) {
        findings.push({ check: this.id, address: resource.change.address, message: quorumServerReplaced(what.name, effect, becauseOf(resource)) });
      }
    }
    for (const [service, names] of leaving) {
      if (names.length > 1) findings.push({ check: this.id, address: names.join(' '), message: tooManyQuorumServersAtOnce(service, names) });
    }
    return findings;
  },
};
