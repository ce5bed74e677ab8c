import { zoneReplacement } from '../messages';
import { ChangeCheck, Finding } from './change-check';

/** Attributes that tie a resource to a zone: a replacement forced by one of them re-places it. */
const ZONE_PATHS = new Set(['availability_zone', 'availability_zone_id', 'subnet_id', 'network']);

/**
 * Subnets, servers and volumes are spread over the zones by position: adding, removing or
 * reordering zones on a running cluster moves them to another zone, which is a replacement.
 */
export const zoneReplacementCheck: ChangeCheck = {
  id: 'zone-replacement',
  summary: 're-placing subnets, servers or volumes because zones were added, removed or reordered',
  run(resources) {
    const findings: Finding[] = [];
    for (const resource of resources) {
      if (resource.effect !== 'replace') continue;
      const paths = (resource.change.change.replace_paths ?? []).map((path) => String(path[0]));
      const zonePaths = paths.filter((path) => ZONE_PATHS.has(path));
      if (zonePaths.length > 0) {
        const name = 'name' in resource.what ? resource.what.name : resource.change.address;
        findings.push({ check: this.id, address: resource.change.address, message: zoneReplacement(name, resource.change.address, zonePaths) });
      }
    }
    return findings;
  },
};
