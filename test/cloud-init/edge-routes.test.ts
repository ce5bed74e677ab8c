import assert from 'node:assert/strict';
import { ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request, Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pythonExecutable } from '../../lib/emulator/python-interpreter';
import { REPO } from '../support/cloud-init-fixtures';
import { EDGE_ROUTES_SCRIPT as SCRIPT, edgeNginxLayout } from '../support/edge-nginx';
import { freePort, get, startStub } from '../support/loopback-stubs';
import { assertToolAvailable, gateOn, missingTool } from '../support/tool-gate';

const FIXTURES = join(REPO, 'test/fixtures/edge');
const fixture = (name: string) => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
const noPython = missingTool('python3', 'python3');
const noNginx = missingTool('nginx', 'nginx-light');
const noPyflakes = missingTool('pyflakes3', 'pyflakes3');

/** Admins, and where the load balancer connects from, in every test here. */
const ADMIN_CIDR = '192.0.2.0/24';
const ADMIN = '192.0.2.7';
const OUTSIDER = '203.0.113.9';

interface MarathonTaskSeen {
  id: string;
  slave_id: string;
  state: string;
  discovery: { ports: { ports: { number: number }[] } };
}

let rendered: string | undefined;
/** The file for the reference-shaped master answers, rendered once (python3 takes a second to start here). */
function render(): string {
  return (rendered ??= execFileSync(
    pythonExecutable(),
    [
      SCRIPT,
      ...['--render', '--summary', join(FIXTURES, 'master-state-summary.json'), '--frameworks', join(FIXTURES, 'master-frameworks-marathon.json')],
      ...['--mesos-leader', '10.0.16.10:5050', '--marathons', '10.0.16.20:8080,10.0.16.21:8080'],
      ...['--admin-cidrs', `${ADMIN_CIDR},198.51.100.0/24`, '--load-balancer-cidrs', '10.0.192.0/26,10.0.192.64/26'],
    ],
    { encoding: 'utf8' },
  ));
}

/** The text of `location <path> {...}` or `server_name <host>;`'s server block. */
const block = (config: string, head: string) => config.slice(config.indexOf(head)).split('}')[0];

describe('edge routes rendered from hand-written Mesos master answers (reference-shaped)', () => {
  it('routes /mesos to the leading master and /marathon to the Marathon leader (its webui_url), at their roots', gateOn(noPython), () => {
    assertToolAvailable(noPython);
    const config = render();
    assert.match(config, /upstream mesos_leader \{\n {4}server 10\.0\.16\.10:5050;\n\}/);
    assert.match(config, /upstream marathon_leader \{\n {4}server 10\.0\.16\.20:8080;\n\}/);
    assert.match(block(config, 'location /mesos/ '), /proxy_pass http:\/\/mesos_leader\/;/);
    assert.match(block(config, 'location /marathon/ '), /proxy_pass http:\/\/marathon_leader\/;/);
  });

  it('/mesos and /marathon: the admin networks only, the client believed from the load balancer subnets only', gateOn(noPython), () => {
    assertToolAvailable(noPython);
    const config = render();
    for (const location of ['location /mesos/ ', 'location /marathon/ ']) {
      const text = block(config, location);
      assert.deepEqual(text.match(/(set_real_ip_from|allow|deny) [^;]+;/g), [
        'set_real_ip_from 10.0.192.0/26;',
        'set_real_ip_from 10.0.192.64/26;',
        'allow 192.0.2.0/24;',
        'allow 198.51.100.0/24;',
        'deny all;',
      ]);
      assert.match(text, /real_ip_header X-Forwarded-For;/);
    }
    assert.doesNotMatch(block(config, 'location /jenkins/team-a/ '), /allow|deny/, 'Jenkins masters stay open to the edge listener networks');
  });

  it('routes each Jenkins master by path and by host name to its running tasks only, on its first port', gateOn(noPython), () => {
    assertToolAvailable(noPython);
    const config = render();
    assert.match(config, /upstream app_jenkins_team_a \{\n {4}server 10\.0\.224\.10:31005;\n\}/);
    // team-b's second task is still staging: not a backend yet.
    assert.match(config, /upstream app_jenkins_team_b \{\n {4}server 10\.0\.224\.11:31017;\n\}/);
    for (const team of ['a', 'b']) {
      assert.match(block(config, `location /jenkins/team-${team}/ `), new RegExp(`proxy_pass http://app_jenkins_team_${team};`));
      assert.match(block(config, `server_name team-${team}.ci.example.com;`), new RegExp(`location / \\{\\n\\s+proxy_pass http://app_jenkins_team_${team};`));
    }
  });

  it('skips tasks without labels, labels that are not a host name or path, and reserved paths', gateOn(noPython), () => {
    assertToolAvailable(noPython);
    const config = render();
    assert.doesNotMatch(config, /unrouted|hostile|takes_mesos|evil|listen 81/);
    assert.equal(config.match(/location \/mesos\//g)?.length, 1);
  });

  it('the hand-written master answers carry only fields reference/mesos/operator-api.json lists', () => {
    const reference = JSON.parse(readFileSync(join(REPO, 'reference/mesos/operator-api.json'), 'utf8'));
    const keys = (o: object) => Object.keys(o).filter((k) => k !== 'added_by' && k !== 'source');
    const counts = (o: object) => keys(o).filter((k) => !k.startsWith('TASK_'));
    const within = (actual: string[], listed: string[], what: string) => assert.deepEqual(actual.filter((k) => !listed.includes(k)), [], what);
    const summary = fixture('master-state-summary.json');
    within(keys(summary), keys(reference.master_state_summary_json.fields), 'state-summary');
    for (const agent of summary.slaves) within(counts(agent), [...keys(reference.master_state_json.slave_object), 'framework_ids'], 'state-summary slave');
    for (const framework of summary.frameworks) within(counts(framework), [...keys(reference.master_frameworks_json.framework_object), 'slave_ids'], 'state-summary framework');
    for (const name of ['master-frameworks-marathon.json', 'master-frameworks-impostor.json']) {
      const answer = fixture(name);
      within(keys(answer), keys(reference.master_frameworks_json.fields), name);
      for (const framework of answer.frameworks) {
        within(keys(framework), keys(reference.master_frameworks_json.framework_object), name);
        for (const task of framework.tasks) within(keys(task), keys(reference.master_frameworks_json.task_object), `${name} task`);
      }
    }
  });

  it('the generator is pyflakes-clean', gateOn(noPyflakes), () => {
    assertToolAvailable(noPyflakes);
    execFileSync('pyflakes3', [SCRIPT]);
  });
});

describe('edge routes on real nginx, against stand-in masters, Marathon and Jenkins masters on loopback', { skip: gateOn(noNginx).skip ?? gateOn(noPython).skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'edge-nginx-'));
  const servers: Server[] = [];
  let nginx: ChildProcess | undefined;
  let edgePort = 0;
  let marathonTasks: MarathonTaskSeen[] = [];
  let generator: string[] = [];
  let movedPort = 0;
  /** Authorization headers the stand-ins received: the edge sends none. */
  const authorizations: string[] = [];

  /** A stub that answers every request with its name and the path it received. */
  const named = async (name: string) => {
    const stub = await startStub((req, res) => res.end(`${name} ${req.url}`));
    servers.push(stub.server);
    return stub.port;
  };

  before(async () => {
    assertToolAvailable(noNginx);
    assertToolAvailable(noPython);
    const [teamA, teamB, teamBMoved, impostor] = await Promise.all(['team-a', 'team-b', 'team-b-moved', 'impostor'].map(named));
    // Marathon's answers at its root (mesosphere/marathon v1.10.26, reference/marathon-api/redirects.json):
    // / is 302 to /ui/ (SystemResource), /ui is 302 to /ui/ (WebJarServlet); /ui/ is the UI's page.
    const redirects = fixtureRedirects();
    const marathon = await startStub((req, res) => {
      const location = redirects[req.url ?? ''];
      if (location) return void res.writeHead(302, { Location: location }).end();
      res.end(`marathon-leader ${req.url}`);
    });
    servers.push(marathon.server);

    // The masters' answers: every agent on 127.0.0.1, each task's first host port a stub's.
    const summary = fixture('master-state-summary.json');
    for (const agent of summary.slaves) agent.hostname = '127.0.0.1';
    const marathonAnswer = fixture('master-frameworks-marathon.json');
    const impostorAnswer = fixture('master-frameworks-impostor.json');
    const ours = marathonAnswer.frameworks[0];
    ours.webui_url = `http://127.0.0.1:${marathon.port}`;
    marathonTasks = ours.tasks;
    const portOf = (id: string) => (id.startsWith('jenkins_team-a.') ? teamA : id.startsWith('jenkins_team-b.') ? teamB : teamBMoved);
    for (const task of marathonTasks) task.discovery.ports.ports[0].number = portOf(task.id);
    impostorAnswer.frameworks[0].tasks[0].discovery.ports.ports[0].number = impostor;
    const answers: Record<string, unknown> = {
      '/master/state-summary': summary,
      [`/master/frameworks?framework_id=${ours.id}`]: marathonAnswer,
      [`/master/frameworks?framework_id=${impostorAnswer.frameworks[0].id}`]: impostorAnswer,
    };
    const leader = await startStub((req, res) => {
      if (req.headers.authorization) authorizations.push(req.headers.authorization);
      const answer = answers[req.url ?? ''];
      if (answer === undefined) return void res.writeHead(404).end();
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(answer));
    });
    // A standby master answers /master/redirect with the leader's protocol-relative address.
    const standby = await startStub((req, res) => {
      res.writeHead(req.url === '/master/redirect' ? 307 : 404, { Location: `//127.0.0.1:${leader.port}` }).end();
    });
    servers.push(standby.server, leader.server);
    movedPort = teamBMoved;

    edgePort = await freePort();
    const { conf, out } = edgeNginxLayout(dir);
    generator = [
      SCRIPT,
      '--once',
      ...['--masters', `127.0.0.1:${standby.port}`, '--marathons', `127.0.0.1:${marathon.port}`, '--listen', `127.0.0.1:${edgePort}`],
      // The load balancer is 127.0.0.1; any other loopback address is a peer that is not.
      ...['--admin-cidrs', ADMIN_CIDR, '--load-balancer-cidrs', '127.0.0.1/32'],
      ...['--out', out, '--nginx-conf', conf],
    ];
    await runGenerator(generator);
    nginx = spawn('nginx', ['-c', conf, '-e', join(dir, 'error.log')], { stdio: 'ignore' });
    await until(async () => (await get(edgePort, '/edge-health').catch(() => ({ status: 0 }))).status === 200);
  });

  after(async () => {
    nginx?.kill('SIGQUIT');
    if (nginx && nginx.exitCode === null) await new Promise((resolve) => nginx!.once('exit', resolve));
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true });
  });

  it('the generator asked the masters without credentials', () => {
    assert.deepEqual(authorizations, []);
  });

  it('an admin through the load balancer reaches the leading master found through a standby, at its root', async () => {
    const answer = await fromPeer('127.0.0.1', '/mesos/master/state-summary', [ADMIN]);
    assert.equal(answer.status, 200);
    assert.match(answer.body, /"frameworks"/);
  });

  it('an admin through the load balancer reaches the Marathon leader, at its root', async () => {
    assert.deepEqual(await fromPeer('127.0.0.1', '/marathon/v2/info', [ADMIN]), { status: 200, body: 'marathon-leader /v2/info', location: undefined });
  });

  it('a client outside the admin networks gets 403 from /mesos and /marathon, and still reaches the Jenkins masters', async () => {
    for (const path of ['/mesos/master/state', '/marathon/v2/apps', '/marathon/']) assert.equal((await fromPeer('127.0.0.1', path, [OUTSIDER])).status, 403, path);
    assert.equal((await fromPeer('127.0.0.1', '/jenkins/team-a/login', [OUTSIDER])).status, 200);
  });

  it('a spoofed X-Forwarded-For does not help: the load balancer appends the client address, and other peers are not believed', async () => {
    // The client sent X-Forwarded-For: <admin>; the load balancer appended the real address.
    assert.equal((await fromPeer('127.0.0.1', '/mesos/master/state', [`${ADMIN}, ${OUTSIDER}`])).status, 403);
    assert.equal((await fromPeer('127.0.0.1', '/mesos/master/state', [ADMIN, OUTSIDER])).status, 403, 'as a second header line');
    // A peer that is not the load balancer claims to forward for an admin.
    assert.equal((await fromPeer('127.0.0.2', '/mesos/master/state', [ADMIN])).status, 403);
    assert.equal((await fromPeer('127.0.0.2', '/marathon/v2/info', [ADMIN])).status, 403);
  });

  it("/marathon/ follows Marathon's redirects within the prefix, to /marathon/ui/", async () => {
    assert.deepEqual(await fromPeer('127.0.0.1', '/marathon/', [ADMIN]), { status: 302, body: '', location: '/marathon/ui/' });
    assert.equal((await fromPeer('127.0.0.1', '/marathon/ui', [ADMIN])).location, '/marathon/ui/');
    assert.deepEqual(await fromPeer('127.0.0.1', '/marathon/ui/', [ADMIN]), { status: 200, body: 'marathon-leader /ui/', location: undefined });
  });

  it("each Jenkins master answers by path (path kept) and by host name; an impostor framework's tasks are not routed", async () => {
    assert.deepEqual(await get(edgePort, '/jenkins/team-a/login'), { status: 200, body: 'team-a /jenkins/team-a/login' });
    assert.deepEqual(await get(edgePort, '/jenkins/team-b/job/x/'), { status: 200, body: 'team-b /jenkins/team-b/job/x/' });
    assert.deepEqual(await get(edgePort, '/login', 'team-a.ci.example.com'), { status: 200, body: 'team-a /login' });
    assert.deepEqual(await get(edgePort, '/login', 'team-b.ci.example.com'), { status: 200, body: 'team-b /login' });
    assert.equal((await get(edgePort, '/jenkins/team-a')).status, 301, 'the bare path redirects to the path with a slash');
    assert.equal((await fromPeer('127.0.0.1', '/jenkins/team-a', [OUTSIDER])).location, '/jenkins/team-a/', 'relative: nginx does not name itself');
    assert.equal((await get(edgePort, '/tools/unrouted/')).status, 404);
    assert.equal((await get(edgePort, '/impostor/')).status, 404, 'a framework named marathon under another principal');
    assert.notEqual((await get(edgePort, '/', 'impostor.ci.example.com')).body, `impostor /`);
  });

  it('a moved task is routed after the next run; a run without changes leaves the file alone', async () => {
    const teamB = marathonTasks.filter((t) => t.id.startsWith('jenkins_team-b.'));
    teamB[0].discovery.ports.ports[0].number = movedPort;
    await runGenerator(generator);
    await until(async () => (await get(edgePort, '/jenkins/team-b/')).body.startsWith('team-b-moved'));
    const written = statSync(join(dir, 'conf.d/edge.conf')).mtimeMs;
    await runGenerator(generator);
    assert.equal(statSync(join(dir, 'conf.d/edge.conf')).mtimeMs, written);
  });

  /** GET through the edge from a loopback source address, with X-Forwarded-For header lines. */
  function fromPeer(source: string, path: string, forwardedFor: string[]): Promise<{ status: number; body: string; location?: string }> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: edgePort, path, localAddress: source, headers: { 'X-Forwarded-For': forwardedFor } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: res.statusCode === 403 ? '' : body, location: res.headers.location }));
      });
      req.on('error', reject);
      req.end();
    });
  }
});

/** Marathon's redirects at its root, from the reference (path -> Location). */
function fixtureRedirects(): Record<string, string> {
  const reference = JSON.parse(readFileSync(join(REPO, 'reference/marathon-api/redirects.json'), 'utf8'));
  return Object.fromEntries(reference.redirects.map((r: { path: string; status: number; location: string }) => [r.path, r.location]));
}

/** The generator runs while this process's stubs answer it: never synchronously. */
async function runGenerator(args: readonly string[]): Promise<void> {
  await promisify(execFile)(pythonExecutable(), [...args]);
}

/** nginx starts and reloads asynchronously: a deadline for a loaded machine, not an expectation. */
const EDGE_DEADLINE_MS = 60_000;

/** Polls `check` every 50 ms until it holds, or fails once EDGE_DEADLINE_MS have passed. */
async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + EDGE_DEADLINE_MS;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`edge did not answer as expected within ${EDGE_DEADLINE_MS} ms`);
}
