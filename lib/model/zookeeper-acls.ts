import { ZK_DIGEST_USERS } from './cluster-secrets';
import { ClusterTopology } from './topology';

/**
 * Who owns which znodes and with which ACL, as Mesos 1.11 and Marathon 1.10 create them when
 * their ZooKeeper URL carries digest credentials (`zk://user:password@hosts/path`):
 *
 * - Mesos: every znode of its group (leader election, `log_replicas`) with
 *   EVERYONE_READ_CREATOR_ALL, i.e. `world:anyone` read + `auth` (the creator) all
 *   (apache/mesos@1.11.0 src/zookeeper/group.cpp, src/zookeeper/authentication.cpp).
 *   Agents and Jenkins find the leading master by reading it, without credentials.
 * - Marathon: its state with CREATOR_ALL_ACL only (`ZookeeperConf.zkDefaultCreationACL` once
 *   the URL has a user and password); the leader latch adds world read, "as some setups depend on
 *   that to find Marathon" (mesosphere/marathon@v1.10.26 ZookeeperConf.scala,
 *   CuratorElectionStream.scala).
 *
 * ACLs are in ZooKeeper's CLI syntax (`scheme:id:perms`); `auth::` means "the creator's
 * authenticated identities".
 */
export interface ZnodeOwnership {
  readonly path: string;
  /** The digest user that creates it. */
  readonly owner: string;
  /** The secret holding the owner's digest password. */
  readonly secret: string;
  readonly acl: readonly string[];
  /** Znodes below `path` created with a different ACL. */
  readonly children: readonly { readonly path: string; readonly acl: readonly string[] }[];
}

export const CREATOR_ALL = 'auth::cdrwa';
export const WORLD_READ = 'world:anyone:r';

export const ZNODE_OWNERSHIP: readonly ZnodeOwnership[] = [
  {
    path: '/mesos',
    owner: ZK_DIGEST_USERS.mesos.user,
    secret: ZK_DIGEST_USERS.mesos.secret,
    acl: [WORLD_READ, CREATOR_ALL],
    // The replicated log's group: the same client, so the same ACL.
    children: [{ path: '/mesos/log_replicas', acl: [WORLD_READ, CREATOR_ALL] }],
  },
  {
    path: '/marathon',
    owner: ZK_DIGEST_USERS.marathon.user,
    secret: ZK_DIGEST_USERS.marathon.secret,
    acl: [CREATOR_ALL],
    children: [
      { path: '/marathon/state', acl: [CREATOR_ALL] },
      { path: '/marathon/leader-curator', acl: [CREATOR_ALL, WORLD_READ] },
    ],
  },
];

/** `zk://user:<placeholder>@hosts/path`: the URL an owner connects with, its password left to the caller. */
export function zkUrlWithCredentials(connectString: string, path: string, user: string, password: string): string {
  return `zk://${user}:${password}@${connectString}${path}`;
}

/**
 * The ACL of ZooKeeper's root znode: everyone reads; only the quorum servers themselves
 * (ZooKeeper, masters, Marathon), each by its own fixed address (/32), create or delete
 * top-level znodes. Deleting a znode needs DELETE on its parent, so without this any client
 * could delete /mesos or /marathon while empty, or take those names before their owners create
 * them. Not the control subnets: agents of volume pools (the Jenkins masters') live there too.
 */
export function zookeeperRootAcl(topology: ClusterTopology): string[] {
  return [WORLD_READ, ...topology.servers.map((s) => `ip:${s.privateIp}/32:cdrwa`)];
}
