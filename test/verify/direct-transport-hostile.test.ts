import assert from 'node:assert/strict';
import { createServer, Server, Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import { DirectTransport } from '../../lib/verify/direct-transport';
import { verifyCluster } from '../../lib/verify/verify-cluster';
import { formatReport } from '../../lib/verify/report';
import { buildTopology } from '../../lib/model';
import { exampleCluster } from '../support/aws-synth';

/** A raw TCP node on loopback that does `behave` with every connection. */
async function hostileNode(behave: (socket: Socket) => void): Promise<{ port: number; server: Server }> {
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    behave(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, server };
}

const servers: Server[] = [];
after(() => {
  for (const server of servers) server.close();
});

/** Every probe of the transport goes to the hostile node. */
async function transportTo(behave: (socket: Socket) => void, options: { timeoutMs?: number; maxAnswerBytes?: number } = {}): Promise<DirectTransport> {
  const { port, server } = await hostileNode(behave);
  servers.push(server);
  return new DirectTransport({ timeoutMs: options.timeoutMs ?? 1_500, maxAnswerBytes: options.maxAnswerBytes, route: () => ({ host: '127.0.0.1', port }) });
}

const HEAD = 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n';

// verify against a node that misbehaves: each probe ends with no answer (never a hang, never a
// half-read body taken for an answer), so the check fails with what it saw.
describe('verify against a hostile node', () => {
  const CASES: { name: string; behave: (socket: Socket) => void; options?: { maxAnswerBytes?: number } }[] = [
    { name: 'answers garbage, not HTTP', behave: (s) => s.end('\u0000\u00ffnot http at all\r\n\r\n{]') },
    { name: 'times out (accepts, never answers)', behave: () => undefined },
    {
      name: 'trickles its answer past the deadline',
      behave: (s) => {
        s.write(`${HEAD}Transfer-Encoding: chunked\r\n\r\n`);
        const tick = setInterval(() => (s.destroyed ? clearInterval(tick) : s.write('1\r\n{\r\n')), 100);
        s.on('close', () => clearInterval(tick));
      },
    },
    { name: 'closes mid-answer', behave: (s) => s.end(`${HEAD}Content-Length: 1000\r\n\r\n{"master/ele`) },
    {
      name: 'answers a huge body',
      options: { maxAnswerBytes: 1024 * 1024 },
      behave: (s) => {
        s.write(`${HEAD}Content-Length: ${64 * 1024 * 1024}\r\n\r\n`);
        const block = Buffer.alloc(64 * 1024, 0x20);
        const pump = () => {
          while (!s.destroyed && s.write(block));
        };
        s.on('drain', pump);
        pump();
      },
    },
  ];

  for (const c of CASES) {
    it(`${c.name}: the HTTP probe gets no answer`, async () => {
      const transport = await transportTo(c.behave, c.options);
      assert.equal(await transport.httpGet('10.20.16.1', 5050, '/metrics/snapshot'), undefined);
    });
  }

  it('a ZooKeeper port that never stops talking: the four-letter word gets nothing, not a huge string', async () => {
    const transport = await transportTo(
      (s) => {
        const block = Buffer.alloc(64 * 1024, 0x41);
        const pump = () => {
          while (!s.destroyed && s.write(block));
        };
        s.on('drain', pump);
        pump();
      },
      { maxAnswerBytes: 1024 * 1024 },
    );
    assert.equal(await transport.fourLetterWord('10.20.16.1', 2181, 'srvr'), '');
  });

  it('a whole cluster answering garbage: verify ends, not whole, naming what each node gave', async () => {
    const transport = await transportTo((s) => s.end('garbage\r\n\r\n'));
    const report = await verifyCluster(buildTopology(exampleCluster()), transport);
    assert.equal(report.whole, false);
    const text = formatReport(report);
    assert.match(text, /no answer|not serving|no leader/);
    assert.doesNotMatch(text, /undefined|\[object Object\]|NaN/);
  });
});
