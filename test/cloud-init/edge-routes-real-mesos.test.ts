import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { pythonExecutable } from '../../lib/emulator/python-interpreter';
import { PORTS } from '../../lib/model';
import { EDGE_ROUTES_SCRIPT, edgeNginxLayout } from '../support/edge-nginx';
import { freePort } from '../support/loopback-stubs';
import { mesosHttp, MesosNode, probeRealMesos, RealMesosCluster, subscribe, Subscription } from '../support/real-mesos';
import { assertToolAvailable, gateOn, missingTool } from '../support/tool-gate';

const probe = probeRealMesos();
const missing = (probe.ok ? undefined : probe.reason) ?? missingTool('nginx', 'nginx-light');

/**
 * The route generator against a real Mesos 1.11.0 master started on its rendered flags, ACLs and
 * credentials (test/support/real-mesos.ts, one master on one ZooKeeper): it reads without
 * credentials, and takes Marathon's framework by its principal, not by its name. No agent runs,
 * so no task is routed here (edge-routes.test.ts covers tasks with reference-shaped answers).
 */
describe('edge routes against the real Mesos 1.11.0 master (its rendered flags, ACLs and credentials)', gateOn(missing), () => {
  const dir = mkdtempSync(join(tmpdir(), 'edge-real-mesos-'));
  let cluster: RealMesosCluster | undefined;
  let leader: MesosNode;
  let rendered = '';
  // The webui_url each framework gives: two of the rendered Marathon servers (only compared, never contacted).
  let marathonUi = '';
  let impostorUi = '';
  const answers: Record<string, Subscription> = {};

  before(async () => {
    assertToolAvailable(missing);
    if (!probe.ok) return;
    cluster = await RealMesosCluster.start({ runtime: probe.runtime, masters: 1 });
    leader = await cluster.leader();
    [marathonUi, impostorUi] = cluster.topology.marathon.servers.map((s) => `${s.privateIp}:${PORTS.marathonHttp}`);

    // Held open: the master keeps a framework only while its stream is.
    const open = { keepOpen: true, name: 'marathon' };
    answers.marathon = await subscribe(leader.url, { ...open, principal: 'marathon', roles: ['marathon'], frameworkInfo: { principal: 'marathon', webui_url: `http://${marathonUi}` } });
    // A Jenkins master's framework that calls itself marathon, with and without claiming the principal.
    answers.impostor = await subscribe(leader.url, { ...open, principal: 'jenkins', roles: ['*'], frameworkInfo: { webui_url: `http://${impostorUi}` } });
    answers.claim = await subscribe(leader.url, { ...open, principal: 'jenkins', roles: ['*'], frameworkInfo: { principal: 'marathon', webui_url: `http://${impostorUi}` } });

    const { conf, out } = edgeNginxLayout(dir);
    await promisify(execFile)(pythonExecutable(), [
      EDGE_ROUTES_SCRIPT,
      '--once',
      ...['--masters', `${leader.address}:${leader.port}`, '--marathons', `${marathonUi},${impostorUi}`, '--listen', `127.0.0.1:${await freePort()}`],
      ...['--admin-cidrs', '192.0.2.0/24', '--load-balancer-cidrs', '127.0.0.1/32'],
      ...['--out', out, '--nginx-conf', conf],
    ]);
    rendered = readFileSync(out, 'utf8');
  });

  after(async () => {
    for (const answer of Object.values(answers)) answer.close();
    await cluster?.dispose(Boolean(process.env.KEEP));
    if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true });
  });

  it('the master subscribes Marathon, and a Jenkins framework named marathon, and refuses Jenkins claiming the principal marathon', () => {
    assert.equal(answers.marathon.status, 200, answers.marathon.body);
    assert.equal(answers.marathon.event?.type, 'SUBSCRIBED', answers.marathon.body);
    assert.equal(answers.impostor.status, 200, answers.impostor.body);
    assert.equal(answers.impostor.event?.type, 'SUBSCRIBED', answers.impostor.body);
    assert.equal(answers.claim.status, 400, answers.claim.body);
    assert.match(answers.claim.body, /does not match principal 'marathon'/);
  });

  it("answers /master/state-summary and /master/frameworks?framework_id= without credentials, the impostor's principal filled in as jenkins", async () => {
    const summary = await mesosHttp(leader.url, '/master/state-summary');
    assert.equal(summary.status, 200, summary.text);
    const named = summary.json().frameworks.filter((f: { name: string }) => f.name === 'marathon');
    assert.equal(named.length, 2);
    const principals = [];
    for (const { id } of named) {
      const answer = await mesosHttp(leader.url, `/master/frameworks?framework_id=${encodeURIComponent(id)}`);
      assert.equal(answer.status, 200, answer.text);
      principals.push(answer.json().frameworks[0].principal);
    }
    assert.deepEqual(principals.sort(), ['jenkins', 'marathon']);
  });

  it("renders the Marathon leader from the framework registered under Marathon's principal only", () => {
    const escaped = (endpoint: string) => endpoint.replace(/\./g, '\\.');
    assert.match(rendered, new RegExp(`upstream marathon_leader \\{\\n {4}server ${escaped(marathonUi)};\\n\\}`));
    assert.ok(!rendered.includes(impostorUi), rendered);
    assert.match(rendered, new RegExp(`upstream mesos_leader \\{\\n {4}server ${escaped(`${leader.address}:${leader.port}`)};\\n\\}`));
  });
});
