import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { MARATHON_DEFAULTS } from '../../lib/cloud-init/layout';
import { allFixtureDocuments, fileAt, parseCloudConfig } from '../support/cloud-init-fixtures';
import { marathonArgProblems, parseEnvironmentFile } from '../support/marathon-env';
import { mesosFlagProblems } from '../support/mesos-flag-rules';
import { GivenFlag, mesosWrapperFlags } from '../support/mesos-wrapper-args';
import { NodeSandbox } from '../support/node-applier';

/** Writes files under a fresh root, for hand-made wrapper inputs. */
function treeOf(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'mesos-tree-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

describe('the flag checkers', () => {
  // Their run over every booted fixture node is booted-flags-suite.ts, run from
  // idempotent-apply.test.ts, which boots the same nodes: one boot per document per run.
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
