/**
 * The SSH transport's remote commands, run for real with bash, curl and a loopback server in
 * place of the node (the ssh hop is swapped for a local shell: no sshd here), and its ssh
 * arguments.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { SshRunner, SshTransport } from '../../lib/verify/ssh-transport';
import { closedPort, LoopbackServer, startLoopbackServer } from '../support/loopback-http';
import { ReferenceShapedMarathon, TEST_MARATHON_PASSWORD } from '../support/reference-shaped-marathon';
import { assertToolAvailable, gateOn, missingTool } from '../support/tool-gate';

const missing = missingTool('curl', 'curl');

/** Every ssh argument list run, to prove no secret is on one. */
const ran: string[][] = [];

/** Runs the command ssh would run on the node (the last argument) in a local bash, with ssh's stdin. */
const localShell: SshRunner = (args, stdin) => {
  ran.push([...args]);
  return new Promise((resolve) => {
    const child = execFile('bash', ['-c', args[args.length - 1]], (error, stdout) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout }));
    child.stdin!.end(stdin ?? '');
  });
};
const operator = { user: 'operator', password: TEST_MARATHON_PASSWORD };

describe('SshTransport', gateOn(missing), () => {
  let marathon: ReferenceShapedMarathon;
  let zookeeperStandIn: LoopbackServer;
  let down: string;
  const transport = new SshTransport({ bastion: '203.0.113.7', user: 'admin', identityFile: '/keys/ci-admin.pem', runSsh: localShell });

  before(async () => {
    assertToolAvailable(missing);
    marathon = await ReferenceShapedMarathon.start('10.20.232.30:8080');
    down = await closedPort();
    // Not ZooKeeper: a stand-in that answers like it over HTTP would not do, so this one only
    // proves the command reaches the port; verify-cluster.test.ts talks to a real ensemble.
    zookeeperStandIn = await startLoopbackServer(() => ({ status: 200 }));
  });
  after(async () => {
    await Promise.all([marathon?.close(), zookeeperStandIn?.close(), transport.close()]);
  });

  it('reaches every node through the bastion with the cluster key, never prompting', () => {
    const args = transport.sshArgs('10.20.224.10', 'true');
    assert.deepEqual(args.slice(-5), ['-J', 'admin@203.0.113.7', 'admin@10.20.224.10', '--', 'true']);
    assert.ok(args.includes('BatchMode=yes'));
    assert.deepEqual(args.slice(args.indexOf('-i'), args.indexOf('-i') + 2), ['-i', '/keys/ci-admin.pem']);
  });

  it('GETs over curl on the node with basic credentials from stdin: status and body, 404 included', async () => {
    const [host, port] = marathon.address.split(':');
    assert.deepEqual(await transport.httpGet(host, Number(port), '/v2/leader', operator), { status: 200, body: '{"leader":"10.20.232.30:8080"}' });
    marathon.leader = undefined;
    assert.equal((await transport.httpGet(host, Number(port), '/v2/leader', operator))?.status, 404);
    assert.equal(marathon.unauthorized, 0);
    assert.ok(!ran.flat().some((arg) => arg.includes(TEST_MARATHON_PASSWORD)), 'the password is on no command line');
  });

  it("without credentials or with wrong ones, Marathon's 401 comes back as it is", async () => {
    const [host, port] = marathon.address.split(':');
    assert.equal((await transport.httpGet(host, Number(port), '/v2/leader'))?.status, 401);
    assert.equal((await transport.httpGet(host, Number(port), '/v2/leader', { user: 'operator', password: 'wrong"pass\\word' }))?.status, 401);
    assert.equal(marathon.unauthorized, 2);
  });

  it('reports no answer from a closed port, for HTTP and four-letter words alike', async () => {
    const [host, port] = down.split(':');
    assert.equal(await transport.httpGet(host, Number(port), '/metrics/snapshot'), undefined);
    assert.equal(await transport.fourLetterWord(host, Number(port), 'srvr'), '');
  });

  it('sends a four-letter word over bash /dev/tcp and returns what the server wrote back', async () => {
    const [host, port] = zookeeperStandIn.address.split(':');
    assert.match(await transport.fourLetterWord(host, Number(port), 'srvr'), /^HTTP\/1\.1 400/);
  });
});
