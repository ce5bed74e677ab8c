import { judge, NO_SCANNER, PolicyRule } from '../rule';
import { cloudConfigFiles, joinContinuedLines } from '../user-data-contents';

/** The ACL each ZooKeeper server sets on `/` (protect-zookeeper-root <acl> in its configure-node script). */
export function rootAclOf(document: string): string | undefined {
  for (const [path, content] of cloudConfigFiles(document)) {
    if (!path.endsWith('/configure-node')) continue;
    const line = joinContinuedLines(content).split('\n').find((l) => /\/protect-zookeeper-root["']?\s/.test(l));
    // One argument per entry (older documents: one argument, the entries joined by commas).
    if (line) return line.trim().split(/\s+/).slice(1).map((word) => word.replace(/^'|'$/g, '')).join(',');
  }
  return undefined;
}

/** ZooKeeper's root admits writers by single addresses, the quorum servers', never by subnet. */
export const zookeeperRootAclHosts: PolicyRule = {
  id: 'zookeeper-root-acl-hosts',
  level: 'error',
  clouds: ['aws', 'openstack'],
  summary: 'each ZooKeeper server sets the ACL of `/`, writers by single addresses (`/32`), never a subnet or everyone',
  mirrors: NO_SCANNER,
  explanation: "Whoever may create or delete top-level znodes can delete an empty /mesos or take its name; a subnet in the root's ACL admits every node in it, agents included",
  fix: 'name each quorum server as ip:<address>/32 (lib/model/zookeeper-acls.ts zookeeperRootAcl)',
  evaluate: ({ view }) =>
    view.nodes
      .filter((n) => n.services.includes('zookeeper'))
      .map((node) => {
        const acl = rootAclOf(node.userData ?? '');
        if (acl === undefined) return judge(node.address, 'it never sets the ACL of / (protect-zookeeper-root)', '');
        const wide = acl
          .split(',')
          .filter((entry) => entry.startsWith('ip:'))
          .filter((entry) => {
            const mask = /\/(\d+):/.exec(entry);
            return mask !== null && Number(mask[1]) < 32;
          });
        const open = acl.split(',').filter((entry) => /^world:anyone:.*[cdwa]/.test(entry));
        const problems = [...wide.map((e) => `${e} admits a subnet`), ...open.map((e) => `${e} admits everyone`)];
        return judge(node.address, problems.length > 0 ? problems.join('; ') : undefined, 'single addresses only');
      }),
};
