import { ZOOKEEPER } from '../../cloud-init/layout';
import { PORTS } from '../../model';
import { PolicyNode } from '../policy-stack';
import { judge, NO_SCANNER, PolicyRule, RuleResult } from '../rule';
import { cloudConfigFiles } from '../user-data-contents';

/** Every node, whatever its role, is handed the same ZooKeeper connect string: that of the ensemble. */
export const oneZookeeperConnectString: PolicyRule = {
  id: 'one-zookeeper-connect-string',
  level: 'error',
  clouds: ['aws', 'openstack'],
  summary: 'every node\'s user-data names the same ZooKeeper connect string, that of the ensemble, and each `zoo.cfg` lists it',
  mirrors: NO_SCANNER,
  explanation: 'Masters, Marathon and agents that know different ensembles split the cluster; the string must name exactly the ZooKeeper servers',
  fix: 'render every connect string from topology.zookeeper.connectString',
  evaluate: ({ view }) => {
    const withStrings = view.nodes.map((node) => ({ node, strings: connectStrings(node.userData ?? '') })).filter((n) => n.strings.length > 0);
    const ensemble = view.nodes.filter((n) => n.services.includes('zookeeper'));
    const expected = ensemble.every((n) => n.privateIp) ? ensemble.map((n) => `${n.privateIp}:${PORTS.zookeeperClient}`).join(',') : mostCommon(withStrings.flatMap((n) => n.strings));
    const results: RuleResult[] = withStrings.map(({ node, strings }) => {
      const other = strings.find((s) => s !== expected);
      return judge(node.address, other && `its user-data names ZooKeeper ${other}, the ensemble is ${expected}`, `names ${expected}`);
    });
    return [...results, ...ensemble.map((member) => judgeZooCfg(member, ensemble))];
  },
};

/** `CLUSTER_ZK_CONNECT=...` and the host lists of `zk://[user:secret@]hosts/path` URLs (a secret template may hold `/`). */
export function connectStrings(text: string): string[] {
  const facts = [...text.matchAll(/^\s*CLUSTER_ZK_CONNECT=(\S+)/gm)].map((m) => m[1]);
  const urls = [...text.matchAll(/zk:\/\/(?:[^@\s"']*@)?([^/@\s"']+)\//g)].map((m) => m[1]);
  return [...new Set([...facts, ...urls])];
}

/** A member's zoo.cfg lists exactly the ensemble's addresses as `server.N` lines. */
function judgeZooCfg(member: PolicyNode, ensemble: readonly PolicyNode[]): RuleResult {
  const zooCfg = cloudConfigFiles(member.userData ?? '').get(ZOOKEEPER.config) ?? '';
  const servers = [...zooCfg.matchAll(/^\s*server\.\d+=([^:\s]+):/gm)].map((m) => m[1]).sort();
  const expected = ensemble.map((n) => n.privateIp).sort();
  const same = servers.length === expected.length && servers.every((s, i) => s === expected[i]);
  return judge(`${member.address} zoo.cfg`, same ? undefined : `zoo.cfg lists servers ${servers.join(', ') || '(none)'}, the ensemble is ${expected.join(', ')}`, 'lists the ensemble');
}

function mostCommon(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
}
