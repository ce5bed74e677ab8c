import { quorumAddressMoved } from '../messages';
import { ChangeCheck, Finding } from './change-check';

/** Connect strings and ZooKeeper ensembles name quorum servers by address: it must never move. */
export const quorumAddressMovedCheck: ChangeCheck = {
  id: 'quorum-address-moved',
  summary: 'moving a quorum server to another private address',
  run(resources) {
    const findings: Finding[] = [];
    for (const resource of resources) {
      const { what, change } = resource;
      if (what.kind !== 'quorum-server' || change.change.before === null || change.change.after === null) continue;
      const before = change.change.before.private_ip ?? change.change.before.access_ip_v4;
      const after = change.change.after.private_ip ?? change.change.after.access_ip_v4;
      const unknown = change.change.after_unknown?.private_ip === true || change.change.after_unknown?.access_ip_v4 === true;
      if (typeof before === 'string' && (unknown || (typeof after === 'string' && after !== before))) {
        findings.push({ check: this.id, address: change.address, message: quorumAddressMoved(what.name, before, unknown ? undefined : after) });
      }
    }
    return findings;
  },
};
