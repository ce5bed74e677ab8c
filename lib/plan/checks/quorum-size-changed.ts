import { QUORUM_SERVICES } from '../cluster-resources';
import { existedBefore, existsAfter } from '../plan-json';
import { quorumSizeChanged } from '../messages';
import { ChangeCheck, Finding } from './change-check';

/**
 * New members would start with a different ensemble or `--quorum` than the running ones, which
 * the Mesos operational guide warns can corrupt the replicated log. A new cluster (nothing
 * existed before) may have any size.
 */
export const quorumSizeChangedCheck: ChangeCheck = {
  id: 'quorum-size-changed',
  summary: 'changing the number of ZooKeeper, Mesos master or Marathon servers of a running cluster',
  run(resources, options) {
    if (options.allowQuorumResize) return [];
    const findings: Finding[] = [];
    for (const service of QUORUM_SERVICES) {
      const servers = resources.filter((r) => r.what.kind === 'quorum-server' && r.what.services.includes(service));
      // A server deleted outside Terraform still counts: re-creating it restores the size (the drift check names it).
      const before = servers.filter((r) => existedBefore(r.change) || r.drift === 'deleted').length;
      const after = servers.filter((r) => existsAfter(r.change)).length;
      if (before > 0 && before !== after) {
        const changed = servers.filter((r) => (existedBefore(r.change) || r.drift === 'deleted') !== existsAfter(r.change));
        findings.push({ check: this.id, address: changed.map((r) => r.change.address).join(' '), message: quorumSizeChanged(service, before, after) });
      }
    }
    return findings;
  },
};
