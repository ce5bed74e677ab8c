import assert from 'node:assert/strict';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DOCKER_AUTHZ, dockerAuthzPolicy, dockerDaemonConfig } from '../../lib/cloud-init/docker-authz-files';
import { METADATA_ADDRESS } from '../../lib/cloud-init/metadata-guard-files';
import { fileAt, fixtureTopologies, parseCloudConfig, renderAll } from '../support/cloud-init-fixtures';
import { poll } from '../support/zookeeper-ensemble';
import { assertToolAvailable, missingTool } from '../support/tool-gate';

/**
 * The build agents' policy in the real Docker daemon of the image (Debian docker.io 20.10, in a
 * network namespace of its own, on a private socket) asking the real plugin, opa-docker-authz.
 * The plugin is an artifact no Debian or npm package carries (image/provision.sh), so CI cannot
 * have it: this file is not part of `npm test` (its name does not end in .test.ts) but a check run
 * by hand, `OPA_DOCKER_AUTHZ=/path/to/opa-docker-authz npm run check:docker-authz`, on a machine
 * with docker.io, busybox-static, iptables and util-linux. Anything missing there fails the check.
 */
const plugin = process.env.OPA_DOCKER_AUTHZ ?? DOCKER_AUTHZ.binary;
const noPlugin = existsSync(plugin) ? undefined : `no opa-docker-authz binary at ${plugin} (set OPA_DOCKER_AUTHZ; docs/base-image.md, "Baking the image")`;
const missing = noPlugin ?? missingTool('dockerd', 'docker.io') ?? missingTool('busybox', 'busybox-static') ?? missingTool('iptables', 'iptables') ?? missingTool('unshare', 'util-linux');

const name = `mesos-cluster-test-${process.pid}`;
const PLUGIN_SOCKET = `/run/docker/plugins/${name}.sock`;
const IMAGE = 'mesos-cluster-test/busybox:1';
const DENIED = new RegExp(`authorization denied by plugin ${name}`);

describe('the Docker daemon of a build agent, with its authorization policy', () => {
  let dir: string;
  let socket: string;
  let sandbox: string;
  let authz: ChildProcess | undefined;
  let daemon: ChildProcess | undefined;
  let metadata: ChildProcess | undefined;

  const docker = (args: string[], input?: string) => {
    const r = spawnSync('docker', ['-H', `unix://${socket}`, ...args], { encoding: 'utf8', input, timeout: 60_000 });
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  };
  /** `docker create` as a build would run it: refused by the plugin, or created. */
  const refused = (args: string[]) => {
    const { status, out } = docker(['create', ...args, IMAGE, 'true']);
    assert.notEqual(status, 0, `created: ${out}`);
    assert.match(out, DENIED);
  };

  before(async () => {
    assertToolAvailable(missing);
    dir = mkdtempSync(join(tmpdir(), 'docker-authz-'));
    socket = join(dir, 'docker.sock');
    // A task's sandbox as Mesos lays it out, under this daemon's own agent work dir.
    const sandboxRoot = join(dir, 'agent', 'slaves');
    sandbox = join(sandboxRoot, 'a1-S0', 'frameworks', 'f1', 'executors', 'jenkins-build', 'runs', 'latest');
    mkdirSync(sandbox, { recursive: true });
    writeFileSync(join(sandbox, 'stdout'), 'the sandbox\n');
    symlinkSync('/', join(sandbox, 'escape'));
    writeFileSync(join(dir, 'authz.rego'), dockerAuthzPolicy({ sandboxRoot, dockerSocket: socket }));
    // The rendered daemon.json, with this test's plugin name and private paths.
    const config = { ...dockerDaemonConfig(), 'authorization-plugins': [name], 'data-root': join(dir, 'root'), 'exec-root': join(dir, 'exec'), hosts: [`unix://${socket}`], pidfile: join(dir, 'docker.pid') };
    writeFileSync(join(dir, 'daemon.json'), JSON.stringify(config));
    authz = spawn(plugin, ['-plugin-name', name, '-policy-file', join(dir, 'authz.rego'), '-log-only-denied'], { stdio: 'ignore' });
    await poll('the plugin socket', 30_000, 100, async () => ({ done: existsSync(PLUGIN_SOCKET), value: true, describe: PLUGIN_SOCKET }));
    daemon = spawn('unshare', ['--net', 'dockerd', '--config-file', join(dir, 'daemon.json')], { stdio: 'ignore' });
    await poll('dockerd', 60_000, 250, async () => {
      const { status, out } = docker(['version', '--format', '{{.Server.Version}}']);
      return { done: status === 0, value: out, describe: out };
    });
    const image = join(dir, 'image');
    mkdirSync(join(image, 'bin'), { recursive: true });
    spawnSync('cp', [spawnSync('sh', ['-c', 'command -v busybox'], { encoding: 'utf8' }).stdout.trim(), join(image, 'bin', 'busybox')]);
    for (const tool of ['sh', 'ls', 'cat', 'true', 'nc', 'grep', 'echo']) symlinkSync('busybox', join(image, 'bin', tool));
    const imported = spawnSync('sh', ['-c', `tar -C "$1" -c . | docker -H "unix://$2" import - "$3"`, 'sh', image, socket, IMAGE], { encoding: 'utf8' });
    assert.equal(imported.status, 0, imported.stderr);
  });

  after(async () => {
    metadata?.kill();
    if (daemon?.exitCode === null) {
      const exited = new Promise((resolve) => daemon!.once('exit', resolve));
      daemon.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 30_000))]);
    }
    authz?.kill();
    rmSync(PLUGIN_SOCKET, { force: true });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('starts with the rendered daemon.json (BuildKit entitlements off) and asks the plugin', () => {
    assert.match(docker(['info', '--format', '{{json .Plugins.Authorization}}']).out, new RegExp(name));
  });

  it('runs a build task as Mesos launches it: its image, the sandbox, the socket, the bridge', () => {
    // apache/mesos@1.11.0 src/docker/docker.cpp Docker::run: these flags, name mesos-<ContainerID>.
    const container = 'mesos-0b5a7c4e-1f2d-4e3a-9c8b-123456789abc';
    const flags = ['--name', container, '--net', 'bridge', '--cpu-shares', '1024', '--memory', '2147483648', '-e', 'MESOS_SANDBOX=/mnt/mesos/sandbox'];
    const volumes = ['-v', `${socket}:${socket}:rw`, '-v', `${sandbox}:/mnt/mesos/sandbox`];
    const run = docker(['run', ...flags, ...volumes, IMAGE, 'cat', '/mnt/mesos/sandbox/stdout']);
    assert.equal(run.status, 0, run.out);
    assert.match(run.out, /the sandbox/);
    assert.equal(docker(['inspect', '--format', '{{.HostConfig.NetworkMode}}', container]).out.trim(), 'bridge');
  });

  it("runs a build's own container on the bridge, with a volume of its own", () => {
    const run = docker(['run', '--rm', '-v', 'build-cache:/cache', IMAGE, 'ls', '/cache']);
    assert.equal(run.status, 0, run.out);
  });

  it('refuses a privileged container', () => refused(['--privileged']));
  it("refuses the host's network", () => refused(['--network', 'host']));
  it("refuses the host's PID namespace", () => refused(['--pid', 'host']));
  it("refuses the host's IPC namespace", () => refused(['--ipc', 'host']));
  it('refuses added capabilities', () => refused(['--cap-add', 'SYS_ADMIN']));
  it('refuses host devices', () => refused(['--device', '/dev/null:/dev/host-null']));
  it("refuses a bind of the agents' secrets", () => refused(['-v', '/etc/mesos-cluster/secrets:/secrets:ro']));
  it("refuses a bind of the host's /, as -v and as --mount", () => {
    refused(['-v', '/:/host']);
    refused(['--mount', 'type=bind,source=/,target=/host']);
  });
  it("refuses a bind of the Docker socket to a build's own container", () => refused(['-v', `${socket}:/var/run/docker.sock`]));
  it('refuses a sandbox path that leads out of the sandbox, by .. or by a symlink', () => {
    refused(['-v', `${sandbox}/../../../../../../../../../..:/host`]);
    refused(['-v', `${join(sandbox, 'escape')}:/host`]);
  });
  it('refuses seccomp unconfined', () => refused(['--security-opt', 'seccomp=unconfined']));

  it('refuses a local volume that binds a host path', () => {
    const { status, out } = docker(['volume', 'create', '--opt', 'type=none', '--opt', 'o=bind', '--opt', 'device=/', 'host-root']);
    assert.notEqual(status, 0, out);
    assert.match(out, DENIED);
  });

  it('refuses a privileged exec into a running container', () => {
    assert.equal(docker(['run', '-d', '--name', 'long', IMAGE, 'sh', '-c', 'sleep 120']).status, 0);
    const { status, out } = docker(['exec', '--privileged', 'long', 'true']);
    assert.notEqual(status, 0, out);
    assert.match(out, DENIED);
  });

  it('refuses a create whose body the plugin is not shown (a charset in Content-Type, over 1 MiB), which the daemon would still read', () => {
    const post = (body: object, contentType: string) => {
      writeFileSync(join(dir, 'body.json'), JSON.stringify(body));
      const r = spawnSync('curl', ['-sS', '--unix-socket', socket, '-X', 'POST', '-H', `Content-Type:${contentType}`, '--data-binary', `@${join(dir, 'body.json')}`, 'http://docker/containers/create'], { encoding: 'utf8' });
      return r.stdout + r.stderr;
    };
    const privileged = { Image: IMAGE, Cmd: ['true'], HostConfig: { Privileged: true } };
    assert.match(post(privileged, ' application/json; charset=utf-8'), DENIED);
    assert.match(post({ ...privileged, Labels: { padding: 'x'.repeat(1_100_000) } }, ' application/json'), DENIED);
  });

  it("keeps a bridge container from the metadata service once the agent's guard runs; root on the host keeps it", async () => {
    // The daemon's own network namespace is the agent here: a stand-in metadata service on its loopback.
    const agent = (args: string[]) => spawnSync('nsenter', ['-t', String(daemon!.pid), '-n', ...args], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(agent(['ip', 'link', 'set', 'lo', 'up']).status, 0);
    assert.equal(agent(['ip', 'addr', 'add', `${METADATA_ADDRESS}/32`, 'dev', 'lo']).status, 0);
    metadata = spawn('nsenter', ['-t', String(daemon!.pid), '-n', 'python3', '-m', 'http.server', '--bind', METADATA_ADDRESS, '80'], { cwd: dir, stdio: 'ignore' });
    const fromHost = () => agent(['curl', '-sS', '-o', '/dev/null', '--max-time', '3', `http://${METADATA_ADDRESS}/`]).status;
    const fromContainer = () => docker(['run', '--rm', IMAGE, 'sh', '-c', `echo 'GET / HTTP/1.0' | nc -w 3 ${METADATA_ADDRESS} 80 | grep -q 'HTTP/1'`]);
    await poll('the stand-in metadata service', 30_000, 200, async () => ({ done: fromHost() === 0, value: true, describe: 'not answering' }));
    assert.equal(fromContainer().status, 0, 'without the guard a bridge container reaches it (or this test proves nothing)');

    const builds = renderAll(fixtureTopologies().find((f) => f.name === 'ci-aws')!.topology).find((d) => d.id.endsWith('/builds'))!;
    writeFileSync(join(dir, 'metadata-guard'), fileAt(parseCloudConfig(builds.text), '/usr/local/lib/mesos-cluster/metadata-guard')!.content, { mode: 0o755 });
    assert.equal(agent([join(dir, 'metadata-guard')]).status, 0);
    assert.notEqual(fromContainer().status, 0, 'a bridge container is cut off');
    assert.equal(fromHost(), 0, 'root on the host still reaches it');
  });
});
