import assert from 'node:assert/strict';
import { ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO } from '../support/cloud-init-fixtures';
import { freePort, get, startStub } from '../support/loopback-stubs';
import { assertToolAvailable, gateOn, missingTool } from '../support/tool-gate';

const SCRIPT = join(REPO, 'cloud-init/scripts/edge-routes.py');
const RECORDED = join(REPO, 'test/fixtures/edge/apps-embed-tasks.json');
const noPython = missingTool('python3', 'python3');
const noNginx = missingTool('nginx', 'nginx-light');
const noPyflakes = missingTool('pyflakes3', 'pyflakes3');

interface RecordedApp {
  id: string;
  tasks: { host: string; ports: number[]; state: string }[];
}

let rendered: string | undefined;
/** The file for the fixture's apps, rendered once (python3 takes a second to start here). */
function render(): string {
  return (rendered ??= execFileSync('python3', [SCRIPT, '--render', '--apps', RECORDED, '--mesos-leader', '10.0.16.10:5050', '--marathon-leader', '10.0.16.20:8080'], {
    encoding: 'utf8',
  }));
}

/** The text of `location <path> {...}` or `server_name <host>;`'s server block. */
const block = (config: string, head: string) => config.slice(config.indexOf(head)).split('}')[0];

describe('edge routes rendered from hand-written Marathon apps (reference-shaped)', () => {
  it('routes /mesos to the leading master and /marathon to the Marathon leader, at their roots', gateOn(noPython), () => {
    assertToolAvailable(noPython);
    const config = render();
    assert.match(config, /upstream mesos_leader \{\n {4}server 10\.0\.16\.10:5050;\n\}/);
    assert.match(config, /upstream marathon_leader \{\n {4}server 10\.0\.16\.20:8080;\n\}/);
    assert.match(block(config, 'location /mesos/ '), /proxy_pass http:\/\/mesos_leader\/;/);
    assert.match(block(config, 'location /marathon/ '), /proxy_pass http:\/\/marathon_leader\/;/);
  });

  it('routes each Jenkins master by path and by host name to its running tasks only', gateOn(noPython), () => {
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

  it('skips apps without labels, labels that are not a host name or path, and reserved paths', gateOn(noPython), () => {
    assertToolAvailable(noPython);
    const config = render();
    assert.doesNotMatch(config, /unrouted|hostile|takes_mesos|evil|listen 81/);
    assert.equal(config.match(/location \/mesos\//g)?.length, 1);
  });

  it('the generator is pyflakes-clean', gateOn(noPyflakes), () => {
    assertToolAvailable(noPyflakes);
    execFileSync('pyflakes3', [SCRIPT]);
  });
});

describe('edge routes on real nginx, against stub leaders and Jenkins masters on loopback', { skip: gateOn(noNginx).skip ?? gateOn(noPython).skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'edge-nginx-'));
  const servers: Server[] = [];
  let nginx: ChildProcess | undefined;
  let edgePort = 0;
  let apps: { apps: RecordedApp[] };
  let generator: string[] = [];
  let movedPort = 0;

  /** A stub that answers every request with its name and the path it received. */
  const named = async (name: string) => {
    const stub = await startStub((req, res) => res.end(`${name} ${req.url}`));
    servers.push(stub.server);
    return stub.port;
  };

  before(async () => {
    assertToolAvailable(noNginx);
    assertToolAvailable(noPython);
    const [mesosLeader, marathonLeader, teamA, teamB, teamBMoved] = await Promise.all(['mesos-leader', 'marathon-leader', 'team-a', 'team-b', 'team-b-moved'].map(named));
    // A standby master answers /master/redirect with the leader's protocol-relative address.
    const standby = await startStub((req, res) => {
      res.writeHead(req.url === '/master/redirect' ? 307 : 404, { Location: `//127.0.0.1:${mesosLeader}` }).end();
    });
    apps = JSON.parse(readFileSync(RECORDED, 'utf8'));
    const ports: Record<string, number> = { '/jenkins/team-a': teamA, '/jenkins/team-b': teamB };
    for (const app of apps.apps) for (const task of app.tasks) Object.assign(task, { host: '127.0.0.1', ports: [ports[app.id] ?? teamBMoved] });
    // Marathon with HTTP basic auth: the generator reads the credentials file the secrets step writes.
    const marathon = await startStub((req, res) => {
      if (req.headers.authorization !== `Basic ${Buffer.from('edge:s3cret').toString('base64')}`) return void res.writeHead(401).end();
      if (req.url === '/v2/leader') return void res.end(JSON.stringify({ leader: `127.0.0.1:${marathonLeader}` }));
      if (req.url === '/v2/apps?embed=apps.tasks') return void res.end(JSON.stringify(apps));
      res.writeHead(404).end();
    });
    servers.push(standby.server, marathon.server);
    movedPort = teamBMoved;

    edgePort = await freePort();
    for (const sub of ['conf.d', 'tmp']) mkdirSync(join(dir, sub));
    const conf = join(dir, 'nginx.conf');
    const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${dir}/tmp/${t};`).join(' ');
    writeFileSync(
      conf,
      `daemon off;\nworker_processes 1;\npid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents { worker_connections 64; }\n` +
        `http { access_log off; ${temp} include ${dir}/conf.d/*.conf; }\n`,
    );
    writeFileSync(join(dir, 'marathon-credentials'), 'edge:s3cret\n');
    generator = [
      SCRIPT,
      '--once',
      ...['--masters', `127.0.0.1:${standby.port}`, '--marathons', `127.0.0.1:${marathon.port}`, '--listen', `127.0.0.1:${edgePort}`],
      ...['--out', join(dir, 'conf.d/edge.conf'), '--nginx-conf', conf, '--credentials', join(dir, 'marathon-credentials')],
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

  it('/mesos reaches the leading master found through a standby, at its root', async () => {
    assert.deepEqual(await get(edgePort, '/mesos/master/state'), { status: 200, body: 'mesos-leader /master/state' });
  });

  it('/marathon reaches the Marathon leader, at its root', async () => {
    assert.deepEqual(await get(edgePort, '/marathon/v2/info'), { status: 200, body: 'marathon-leader /v2/info' });
  });

  it('each Jenkins master answers by path (path kept) and by host name', async () => {
    assert.deepEqual(await get(edgePort, '/jenkins/team-a/login'), { status: 200, body: 'team-a /jenkins/team-a/login' });
    assert.deepEqual(await get(edgePort, '/jenkins/team-b/job/x/'), { status: 200, body: 'team-b /jenkins/team-b/job/x/' });
    assert.deepEqual(await get(edgePort, '/login', 'team-a.ci.example.com'), { status: 200, body: 'team-a /login' });
    assert.deepEqual(await get(edgePort, '/login', 'team-b.ci.example.com'), { status: 200, body: 'team-b /login' });
    assert.equal((await get(edgePort, '/jenkins/team-a')).status, 301, 'the bare path redirects to the path with a slash');
    assert.equal((await get(edgePort, '/tools/unrouted/')).status, 404);
  });

  it('a moved task is routed after the next run; a run without changes leaves the file alone', async () => {
    const team = apps.apps.find((a) => a.id === '/jenkins/team-b')!;
    team.tasks = [{ host: '127.0.0.1', ports: [movedPort], state: 'TASK_RUNNING' }];
    await runGenerator(generator);
    await until(async () => (await get(edgePort, '/jenkins/team-b/')).body.startsWith('team-b-moved'));
    const written = statSync(join(dir, 'conf.d/edge.conf')).mtimeMs;
    await runGenerator(generator);
    assert.equal(statSync(join(dir, 'conf.d/edge.conf')).mtimeMs, written);
  });
});

/** The generator runs while this process's stubs answer it: never synchronously. */
async function runGenerator(args: readonly string[]): Promise<void> {
  await promisify(execFile)('python3', [...args]);
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
