import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ZK_DIGEST_USERS, ZNODE_OWNERSHIP } from '../../lib/model';
import { referenceAcl, referencePersistentZnodes, ZnodeCreator } from '../support/znode-acl-reference';

describe('ZNODE_OWNERSHIP against the ACLs Mesos 1.11 and Marathon 1.10 set (reference/zookeeper/znode-acls.json)', () => {
  for (const creator of ['mesos', 'marathon'] as ZnodeCreator[]) {
    it(`${creator}: every persistent znode it creates, with the ACL its source gives`, () => {
      const ownership = ZNODE_OWNERSHIP.find((o) => o.owner === ZK_DIGEST_USERS[creator].user);
      assert.ok(ownership, `no ownership for ${creator}`);
      const listed = [ownership, ...ownership.children];
      const relative = (path: string) => path.slice(ownership.path.length);
      assert.deepEqual(listed.map((z) => relative(z.path)).sort(), referencePersistentZnodes(creator).sort());
      for (const znode of listed) {
        assert.ok(znode.path === ownership.path || znode.path.startsWith(`${ownership.path}/`), znode.path);
        assert.deepEqual([...znode.acl].sort(), referenceAcl(creator, relative(znode.path)), znode.path);
      }
    });
  }
});
