/**
 * The ZooKeeper ACLs Mesos 1.11 and Marathon 1.10 set on their znodes, as recorded from their
 * sources in reference/zookeeper/znode-acls.json. Tests hold the project's ZNODE_OWNERSHIP and the
 * real-ZooKeeper suite's znodes to these, not to the project's own table.
 */
import reference from '../../reference/zookeeper/znode-acls.json';

export type ZnodeCreator = 'mesos' | 'marathon';

interface ReferenceZnode {
  readonly path: string;
  readonly kind: string;
  readonly acl: readonly string[];
}

const ACLS: Record<string, { readonly entries: readonly string[] }> = reference.acls;

function znodesOf(creator: ZnodeCreator): readonly ReferenceZnode[] {
  return reference[creator].znodes;
}

/** The ACL `creator` sets on `relativePath` (below its URL's path) with credentials: sorted CLI entries. */
export function referenceAcl(creator: ZnodeCreator, relativePath: string): string[] {
  const znode = znodesOf(creator).find((z) => z.path === relativePath);
  if (znode === undefined) throw new Error(`reference/zookeeper/znode-acls.json: ${creator} creates no znode at ${JSON.stringify(relativePath)}`);
  return znode.acl.flatMap((name) => {
    const set = ACLS[name];
    if (set === undefined) throw new Error(`reference/zookeeper/znode-acls.json: no ACL named ${name}`);
    return set.entries;
  }).sort();
}

/** The persistent znodes `creator` creates, relative to its URL's path ('' is the path itself). */
export function referencePersistentZnodes(creator: ZnodeCreator): string[] {
  return znodesOf(creator).filter((z) => z.kind === 'persistent').map((z) => z.path);
}
