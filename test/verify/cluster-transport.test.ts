import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { clusterTransport, NoBastionError } from '../../lib/verify/cluster-transport';
import { DirectTransport } from '../../lib/verify/direct-transport';
import { SshTransport } from '../../lib/verify/ssh-transport';

const nowhere = { dir: join(mkdtempSync(join(tmpdir(), 'cluster-transport-')), 'stacks', 'ci-aws'), env: process.env };

describe('clusterTransport: how verify and roll reach the nodes', () => {
  it('--direct needs no bastion and no stack', async () => {
    const transport = await clusterTransport({ direct: true, user: 'admin' }, nowhere);
    assert.ok(transport instanceof DirectTransport);
    await transport.close();
  });

  it('a named bastion is used as given, without asking Terraform', async () => {
    const transport = await clusterTransport({ direct: false, bastion: '203.0.113.7', user: 'admin' }, nowhere);
    assert.ok(transport instanceof SshTransport);
    await transport.close();
  });

  it('no bastion and no deployed stack folder: one line naming the folder and both ways out', async () => {
    await assert.rejects(clusterTransport({ direct: false, user: 'admin' }, nowhere), (error: Error) => {
      assert.ok(error instanceof NoBastionError);
      assert.equal(error.message, `no bastion address: \`terraform output bastion_address\` in ${nowhere.dir} gave none (no such folder: the stack is synthesized and deployed there); pass --bastion <address> or --direct`);
      return true;
    });
  });
});
