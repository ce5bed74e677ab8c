import assert from 'node:assert/strict';
import { ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { ClientRequest, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { mesosAcls } from '../../lib/cloud-init/mesos-acls';
import { masterAuthFlags } from '../../lib/cloud-init/mesos-auth';
import { buildTopology } from '../../lib/model';
import { exampleCluster } from '../support/aws-synth';
import { REPO } from '../support/cloud-init-fixtures';
import { freePort, get } from '../support/loopback-stubs';
import { assertToolAvailable, gateOn, missingTool } from '../support/tool-gate';

const SCRIPT = join(REPO, 'cloud-init/scripts/edge-routes.py');
/** The shared Mesos 1.11.0 build (../shared/mesos from the main checkout; worktrees sit one level deeper). */
const TARBALL = [join(REPO, '..', 'shared'), join(REPO, '..', '..', 'shared')]
  .map((shared) => join(shared, 'mesos', 'mesos-1.11.0-debian12-amd64.tar.xz'))
  .find((path) => existsSync(path));
const noMesos = TARBALL === undefined ? 'the Mesos 1.11.0 build (../shared/mesos) is not here' : undefined;
const noNginx = missingTool('nginx', 'nginx-light');
const SECRETS: Record<string, string> = { operator: 'operatorSecret1', marathon: 'marathonSecret1', jenkins: 'jenkinsSecret1' };

/**
 * The route generator against a real Mesos 1.11.0 master with the project's ACLs and
 * authentication flags: it reads without credentials, and takes Marathon's framework by its
 * principal, not by its name. No agent runs, so no task is routed here (edge-routes.test.ts
 * covers tasks with recorded answers).
 */
describe('edge routes against the real Mesos 1.11.0 master (the project ACLs and auth flags)', { skip: gateOn(noMesos).skip ?? gateOn(noNginx).skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'edge-real-mesos-'));
  const subscriptions: ClientRequest[] = [];
  let master: ChildProcess | undefined;
  let port = 0;
  let rendered = '';
  const marathonUi = '127.0.0.1:18080';
  const impostorUi = '127.0.0.1:18081';
  const answers: Record<string, string> = {};

  /** A v1 scheduler SUBSCRIBE held open (the master keeps a framework while its stream is). */
  const subscribe = (principal: string, frameworkInfo: object) =>
    new Promise<string>((resolve) => {
      const body = JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'root', capabilities: [{ type: 'MULTI_ROLE' }], ...frameworkInfo } } });
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/api/v1/scheduler',
          method: 'POST',
          auth: `${principal}:${SECRETS[principal]}`,
          headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
            if (/SUBSCRIBED|ERROR/.test(text) || res.statusCode !== 200) resolve(`${res.statusCode} ${text}`);
          });
          res.on('end', () => resolve(`${res.statusCode} ${text}`));
        },
      );
      req.on('error', (error) => resolve(`error ${error.message}`));
      subscriptions.push(req);
      req.end(body);
    });

  before(async () => {
    assertToolAvailable(noMesos);
    assertToolAvailable(noNginx);
    execFileSync('tar', ['-xJf', TARBALL!, '-C', dir, 'usr/local/sbin/mesos-master', 'usr/local/lib']);
    const topology = buildTopology(exampleCluster());
    writeFileSync(join(dir, 'acls.json'), JSON.stringify(mesosAcls(topology)));
    writeFileSync(join(dir, 'credentials.json'), JSON.stringify({ credentials: Object.entries(SECRETS).map(([principal, secret]) => ({ principal, secret })) }));
    // The rendered authentication flags, with this test's files and no ZooKeeper (one master, registry in memory).
    const auth: Record<string, string | true> = { ...masterAuthFlags() };
    delete auth.zk;
    const flags: Record<string, string | true> = { ...auth, credentials: `file://${join(dir, 'credentials.json')}`, acls: `file://${join(dir, 'acls.json')}` };
    port = await freePort();
    mkdirSync(join(dir, 'work'));
    const args = [`--ip=127.0.0.1`, `--hostname=127.0.0.1`, `--port=${port}`, '--registry=in_memory', `--work_dir=${join(dir, 'work')}`];
    args.push(...Object.entries(flags).map(([name, value]) => (value === true ? `--${name}` : `--${name}=${value}`)));
    master = spawn(join(dir, 'usr/local/sbin/mesos-master'), args, { env: { ...process.env, LD_LIBRARY_PATH: join(dir, 'usr/local/lib') }, stdio: 'ignore' });
    await until(async () => (await get(port, '/master/state-summary').catch(() => ({ status: 0 }))).status === 200);

    answers.marathon = await subscribe('marathon', { name: 'marathon', principal: 'marathon', roles: ['marathon'], webui_url: `http://${marathonUi}` });
    // A Jenkins master's framework that calls itself marathon, with and without claiming the principal.
    answers.impostor = await subscribe('jenkins', { name: 'marathon', roles: ['*'], webui_url: `http://${impostorUi}` });
    answers.claim = await subscribe('jenkins', { name: 'marathon', principal: 'marathon', roles: ['*'], webui_url: `http://${impostorUi}` });

    for (const sub of ['conf.d', 'tmp']) mkdirSync(join(dir, sub));
    const conf = join(dir, 'nginx.conf');
    const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${dir}/tmp/${t};`).join(' ');
    writeFileSync(conf, `pid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents { worker_connections 64; }\nhttp { access_log off; ${temp} include ${dir}/conf.d/*.conf; }\n`);
    await promisify(execFile)('python3', [
      SCRIPT,
      '--once',
      ...['--masters', `127.0.0.1:${port}`, '--marathons', `${marathonUi},${impostorUi}`, '--listen', `127.0.0.1:${await freePort()}`],
      ...['--admin-cidrs', '192.0.2.0/24', '--load-balancer-cidrs', '127.0.0.1/32'],
      ...['--out', join(dir, 'conf.d/edge.conf'), '--nginx-conf', conf],
    ]);
    rendered = readFileSync(join(dir, 'conf.d/edge.conf'), 'utf8');
  });

  after(async () => {
    for (const req of subscriptions) req.destroy();
    master?.kill('SIGTERM');
    if (master && master.exitCode === null) await new Promise((resolve) => master!.once('exit', resolve));
    if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true });
  });

  it('the master subscribes Marathon, and a Jenkins framework named marathon, and refuses Jenkins claiming the principal marathon', () => {
    assert.match(answers.marathon, /^200 [^]*SUBSCRIBED/);
    assert.match(answers.impostor, /^200 [^]*SUBSCRIBED/);
    assert.match(answers.claim, /^400 [^]*does not match principal 'marathon'/);
  });

  it("answers /master/state-summary and /master/frameworks?framework_id= without credentials, the impostor's principal filled in as jenkins", async () => {
    const summary = JSON.parse((await get(port, '/master/state-summary')).body);
    const named = summary.frameworks.filter((f: { name: string }) => f.name === 'marathon');
    assert.equal(named.length, 2);
    const principals = [];
    for (const { id } of named) {
      const answer = await get(port, `/master/frameworks?framework_id=${encodeURIComponent(id)}`);
      assert.equal(answer.status, 200);
      principals.push(JSON.parse(answer.body).frameworks[0].principal);
    }
    assert.deepEqual(principals.sort(), ['jenkins', 'marathon']);
  });

  it("renders the Marathon leader from the framework registered under Marathon's principal only", () => {
    assert.match(rendered, new RegExp(`upstream marathon_leader \\{\\n {4}server ${marathonUi};\\n\\}`));
    assert.ok(!rendered.includes(impostorUi), rendered);
    assert.match(rendered, new RegExp(`upstream mesos_leader \\{\\n {4}server 127\\.0\\.0\\.1:${port};\\n\\}`));
  });
});

/** Polls `check` up to 150 times, 200 ms apart: the master takes a few seconds to elect itself. */
async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 150; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the Mesos master did not answer in time');
}
