/**
 * A node that answers a huge body through the SSH transport: the node-side command cuts the
 * answer just past the cap, and the transport says so in one line and takes it as no answer,
 * as the direct path does (direct-transport-hostile.test.ts). The ssh hop is a local bash, as in
 * ssh-transport.test.ts; what crosses it is counted.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, Server, Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import { SshRunner, SshTransport } from '../../lib/verify/ssh-transport';
import { assertToolAvailable, gateOn, missingTool } from '../support/tool-gate';

const missing = missingTool('curl', 'curl');
const CAP = 1024 * 1024;

/** Runs the node-side command in a local bash with room for far more than the cap, counting what came back. */
function countingShell(received: number[]): SshRunner {
  return (args, stdin) =>
    new Promise((resolve) => {
      const child = execFile('bash', ['-c', args[args.length - 1]], { maxBuffer: 256 * 1024 * 1024 }, (error, stdout) => {
        received.push(Buffer.byteLength(stdout));
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout });
      });
      child.stdin!.end(stdin ?? '');
    });
}

const servers: Server[] = [];
after(() => {
  for (const server of servers) server.close();
});

/** A loopback node that writes `head` and then spaces until the reader goes away. */
async function endlessNode(head: string): Promise<number> {
  const server = createServer((socket: Socket) => {
    socket.on('error', () => undefined);
    socket.write(head);
    const block = Buffer.alloc(64 * 1024, 0x20);
    const pump = () => {
      while (!socket.destroyed && socket.write(block));
    };
    socket.on('drain', pump);
    pump();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

describe('SshTransport against a node answering a huge body', gateOn(missing), () => {
  it('HTTP: no answer, one line naming the URL and the cap, and no more than the cap crossed the hop', async () => {
    assertToolAvailable(missing);
    const port = await endlessNode(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${64 * 1024 * 1024}\r\n\r\n`);
    const received: number[] = [];
    const notices: string[] = [];
    const transport = new SshTransport({ bastion: '203.0.113.7', maxAnswerBytes: CAP, runSsh: countingShell(received), notice: (line) => notices.push(line) });
    assert.equal(await transport.httpGet('127.0.0.1', port, '/master/slaves'), undefined);
    assert.deepEqual(notices, [`verify: http://127.0.0.1:${port}/master/slaves answered more than 1 MiB through SSH; cut there and taken as no answer`]);
    assert.ok(received[0] <= CAP + 5, `${received[0]} bytes came through the hop`);
  });

  it('a ZooKeeper port that never stops talking: the four-letter word gets nothing, with one line', async () => {
    assertToolAvailable(missing);
    const port = await endlessNode('');
    const received: number[] = [];
    const notices: string[] = [];
    const transport = new SshTransport({ bastion: '203.0.113.7', maxAnswerBytes: CAP, runSsh: countingShell(received), notice: (line) => notices.push(line) });
    assert.equal(await transport.fourLetterWord('127.0.0.1', port, 'srvr'), '');
    assert.deepEqual(notices, [`verify: 127.0.0.1:${port} (srvr) answered more than 1 MiB through SSH; cut there and taken as no answer`]);
    assert.ok(received[0] <= CAP + 1, `${received[0]} bytes came through the hop`);
  });

  it('an answer just under the cap still comes back whole, with no line', async () => {
    assertToolAvailable(missing);
    const body = 'x'.repeat(CAP);
    const server = createServer((socket) => socket.end(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const notices: string[] = [];
    const transport = new SshTransport({ bastion: '203.0.113.7', maxAnswerBytes: CAP, runSsh: countingShell([]), notice: (line) => notices.push(line) });
    const answer = await transport.httpGet('127.0.0.1', port, '/state');
    assert.equal(answer?.status, 200);
    assert.equal(answer?.body.length, CAP);
    assert.deepEqual(notices, []);
  });
});
