import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { before, describe, it } from 'node:test';
import { MARATHON_DEFAULTS } from '../../lib/cloud-init/layout';
import { MARATHON_SECRET_FILES } from '../../lib/cloud-init/marathon-files';
import { allFixtureDocuments, bootableFixtureDocuments, fileAt, parseCloudConfig, RenderedDocument } from '../support/cloud-init-fixtures';
import { marathonArgProblems, marathonArgs, parseEnvironmentFile } from '../support/marathon-env';
import { mesosFlagProblems } from '../support/mesos-flag-rules';
import { GivenFlag, MesosBinary, mesosWrapperFlags } from '../support/mesos-wrapper-args';
import { NodeSandbox } from '../support/node-applier';

/** A node booted in a sandbox over the mesos package's own defaults files. */
interface Booted {
  readonly document: RenderedDocument;
  readonly sandbox: NodeSandbox;
}

function runsBinary(document: RenderedDocument, binary: MesosBinary): boolean {
  return binary === 'agent' ? document.role === 'mesos-agent' : ['mesos-master', 'control'].includes(document.role);
}

/** Writes files under a fresh root, for hand-made wrapper inputs. */
function treeOf(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'mesos-tree-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** Every bootable document booted once (about a second of CPU each), for the tests that only read the result. */
let bootedOnce: Promise<Booted[]> | undefined;
function bootedNodes(): Promise<Booted[]> {
  bootedOnce ??= (async () => {
    const booted: Booted[] = [];
    for (const document of bootableFixtureDocuments()) {
      const sandbox = new NodeSandbox();
      const { code, stderr } = await sandbox.boot(parseCloudConfig(document.text));
      assert.equal(code, 0, `${document.id}: ${stderr}`);
      booted.push({ document, sandbox });
    }
    return booted;
  })();
  return bootedOnce;
}

describe('every flag written is a real flag of Mesos 1.11 / Marathon 1.10, with a value of its type', () => {
  const booted: Booted[] = [];
  before(async () => {
    booted.push(...(await bootedNodes()));
  });

  for (const binary of ['master', 'agent'] as const) {
    it(`mesos-${binary}: the wrapper's flags are known, single and well-typed`, () => {
      const nodes = booted.filter((b) => runsBinary(b.document, binary));
      assert.ok(nodes.length >= 3);
      for (const { document, sandbox } of nodes) {
        const flags = mesosWrapperFlags(sandbox.root, binary);
        assert.deepEqual(mesosFlagProblems(binary, flags), [], document.id);
        const names = flags.map((f) => f.name);
        const required = binary === 'master' ? ['zk', 'quorum', 'work_dir', 'ip', 'hostname'] : ['master', 'work_dir', 'ip', 'hostname', 'attributes'];
        for (const name of required) assert.ok(names.includes(name), `${document.id} gives --${name}`);
      }
    });
  }

  it('marathon: /etc/default/marathon and the secrets written at boot parse as systemd reads them and give valid options, each once', () => {
    const nodes = booted.filter((b) => ['marathon', 'control'].includes(b.document.role));
    assert.ok(nodes.length >= 3);
    for (const { document, sandbox } of nodes) {
      const { vars, problems } = parseEnvironmentFile(sandbox.read(MARATHON_DEFAULTS));
      const secrets = parseEnvironmentFile(sandbox.read(MARATHON_SECRET_FILES.environment));
      assert.deepEqual([...problems, ...secrets.problems], [], document.id);
      assert.deepEqual(marathonArgProblems(marathonArgs([...vars, ...secrets.vars])), [], document.id);
    }
  });

  it('the checkers catch what they are there to catch', () => {
    const flag = (name: string, value?: string): GivenFlag => ({ name, value, source: 'test' });
    assert.match(mesosFlagProblems('agent', [flag('checkpoint')]).join(), /removed/);
    assert.match(mesosFlagProblems('agent', [flag('recovery_timeout', '15m')]).join(), /not a valid duration/);
    assert.match(mesosFlagProblems('agent', [flag('recover', 'always')]).join(), /not among/);
    assert.match(mesosFlagProblems('agent', [flag('containerizers', 'docker,rkt')]).join(), /rkt/);
    assert.match(mesosFlagProblems('master', [flag('quorum', 'two')]).join(), /not a valid int/);
    assert.match(mesosFlagProblems('master', [flag('zk', 'zk://a:2181')]).join(), /zk/);
    assert.match(mesosFlagProblems('master', [flag('no-quorum')]).join(), /only negates a bool/);
    assert.match(mesosFlagProblems('master', [flag('work-dir', '/x')]).join(), /unknown flag/);
    assert.match(marathonArgProblems([{ name: 'ha', value: 'true' }]).join(), /takes no value/);
    assert.match(marathonArgProblems([{ name: 'event_subscriber', value: 'http_callback' }]).join(), /removed since/);
    assert.match(marathonArgProblems([{ name: 'http_port', value: 'eighty' }]).join(), /not an integer/);
    assert.deepEqual(marathonArgProblems([{ name: 'disable_ha' }]), []);
    assert.match(parseEnvironmentFile('MARATHON_MASTER=`cat /etc/mesos/zk`\n').problems.join(), /shell substitution/);
  });
});

describe('traps of the packaged layout', () => {
  it('a flag given twice is fatal: file beside /etc/default variable, and old beside new spelling', () => {
    const root = treeOf({
      '/etc/default/mesos-master': 'ZK=zk://10.0.0.1:2181/mesos\n',
      '/etc/mesos-master/zk': 'zk://10.0.0.1:2181/mesos\n',
      '/etc/mesos-master/slave_ping_timeout': '15secs\n',
      '/etc/mesos-master/agent_ping_timeout': '15secs\n',
    });
    const problems = mesosFlagProblems('master', mesosWrapperFlags(root, 'master'));
    assert.equal(problems.filter((p) => p.includes('already given')).length, 2, problems.join('\n'));
  });

  it("rendered nodes override the package's defaults files, so no flag comes twice", async () => {
    // The sandbox starts from the package's /etc/default files (ZK=, PORT=, LOGS=, MASTER=).
    const nodes = (await bootedNodes()).filter(({ document }) => ['mesos-master', 'mesos-agent'].includes(document.role));
    assert.ok(nodes.length >= 3);
    for (const { document, sandbox } of nodes) {
      const binary = document.role === 'mesos-master' ? 'master' : 'agent';
      const flags = mesosWrapperFlags(sandbox.root, binary);
      assert.deepEqual(flags.filter((f) => !f.source.startsWith('/')), [], `${document.id}: every flag is a file`);
    }
  });

  it('Marathon is configured only through /etc/default/marathon, in EnvironmentFile syntax', () => {
    for (const document of allFixtureDocuments()) {
      const config = parseCloudConfig(document.text);
      assert.deepEqual(config.write_files.filter((f) => f.path.startsWith('/etc/marathon/')), [], document.id);
      const defaults = fileAt(config, MARATHON_DEFAULTS);
      if (!['marathon', 'control'].includes(document.role)) {
        assert.equal(defaults, undefined, document.id);
        continue;
      }
      const { vars } = parseEnvironmentFile(defaults!.content);
      const env = Object.fromEntries(vars);
      assert.equal(env.MARATHON_HA, '', 'HA is the bare toggle');
      assert.equal(env.MARATHON_MESOS_ROLE, 'marathon');
      assert.equal(env.LIBPROCESS_PORT, '9090');
      assert.match(env.MARATHON_MASTER, /^zk:\/\/.*\/mesos$/);
      assert.equal(env.MARATHON_ZK, undefined, 'MARATHON_ZK carries credentials: fetched at boot into the secrets environment');
      assert.doesNotMatch(defaults!.content, /^\s*export\s/m);
    }
  });

  it('one init-wrapper layout: agents write /etc/mesos-agent, never /etc/mesos-slave', () => {
    for (const document of allFixtureDocuments().filter((d) => d.role === 'mesos-agent')) {
      const paths = parseCloudConfig(document.text).write_files.map((f) => f.path);
      assert.ok(paths.some((p) => p.startsWith('/etc/mesos-agent/')), document.id);
      assert.deepEqual(paths.filter((p) => /^\/etc\/(default\/)?mesos-slave/.test(p)), [], document.id);
    }
  });

  it("boot stops before starting the agent when the image's wrapper reads /etc/mesos-slave", async () => {
    const document = allFixtureDocuments().find((d) => d.id === 'ci-aws/builds')!;
    const sandbox = new NodeSandbox({ wrapperVariant: 'slave' });
    const { code, stderr } = await sandbox.boot(parseCloudConfig(document.text));
    assert.notEqual(code, 0);
    assert.match(stderr, /does not read \/etc\/mesos-agent/);
    assert.deepEqual(sandbox.calls().filter((c) => c.startsWith('systemctl')), []);
  });
});
