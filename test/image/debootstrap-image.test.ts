import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readlinkSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { UNITS } from '../../lib/cloud-init/layout';
import { REPO } from '../support/cloud-init-fixtures';
import { CommandResult, DebianRoot, missingDebianRootTools } from '../support/debian-root';
import { assertToolAvailable, gateOn } from '../support/tool-gate';
import { describeFirstBoot } from './first-boot-suite';

/** Where the recipe is copied in the root, as Packer uploads it. */
const IMAGE_DIR = '/tmp/mesos-cluster-image';
const CHECK_IMAGE = '/usr/local/lib/mesos-cluster/check-image';
/** The project's units, as image/units holds them. */
const OWN_UNITS = ['zookeeper.service', 'mesos-master.service', 'mesos-slave.service', 'marathon.service', 'docker-prune.service', 'docker-prune.timer', 'opa-docker-authz.service'];

const missing = missingDebianRootTools();

/**
 * The image recipe in a Debian 12 root made with debootstrap: everything Debian provides is
 * installed for real (ZooKeeper, Java 17, Docker, AWS CLI, cloud-init, the units, the scripts);
 * Mesos, Marathon and Java 8, which exist nowhere here, are provision.sh's --stand-ins.
 */
describe('the base image recipe in a Debian 12 root (debootstrap)', gateOn(missing), () => {
  let root: DebianRoot;
  let provisioned: CommandResult;
  /** Seconds spent making the root and provisioning it, reported (not asserted). */
  const seconds: Record<string, number> = {};

  before(async () => {
    assertToolAvailable(missing);
    const start = Date.now();
    root = await DebianRoot.create();
    seconds.root = (Date.now() - start) / 1000;
    root.copyIn(join(REPO, 'image'), IMAGE_DIR);
    root.copyIn(join(REPO, 'cloud-init/scripts/check-image.sh'), `${IMAGE_DIR}/check-image.sh`);
    provisioned = await root.chroot(['bash', `${IMAGE_DIR}/provision.sh`, '--stand-ins']);
    seconds.provision = (Date.now() - start) / 1000 - seconds.root;
  });

  after(async () => {
    await root?.dispose();
  });

  const checkImage = (args: string[] = [], allowStandIns = true) =>
    root.chroot([CHECK_IMAGE, ...args], allowStandIns ? { MESOS_CLUSTER_ALLOW_STAND_INS: 'true' } : {});

  it('provision.sh runs to the end and ends with check-image passing', (t) => {
    t.diagnostic(`root ${seconds.root}s, provision.sh ${seconds.provision}s`);
    assert.equal(provisioned.code, 0, provisioned.stderr.slice(-3000));
    assert.match(provisioned.stdout, /provision: done/);
  });

  it('check-image passes in the root for every service', async () => {
    const checked = await checkImage();
    assert.equal(checked.code, 0, checked.stderr);
  });

  it('systemd-analyze verify accepts every unit of the project, with no warning', async () => {
    const units = OWN_UNITS.map((u) => `/usr/local/lib/systemd/system/${u}`);
    const verified = await root.host('systemd-analyze', ['verify', `--root=${root.dir}`, ...units]);
    assert.equal(verified.code, 0, verified.stderr);
    assert.equal(verified.stdout + verified.stderr, '');
  });

  it('every service unit cloud-init enables per role is disabled in the image, containerd and the SSM agent too', async () => {
    // The agent-drain groups are not in the image: an agent's user data writes their units.
    const groups = ['zookeeper', 'mesos-master', 'mesos-agent', 'marathon', 'docker', 'session-manager'] as const;
    const units = [...groups.flatMap((g) => UNITS[g]), 'containerd'];
    // One systemctl for all of them: it prints one state a line, in the order asked.
    const states = await root.chroot(['systemctl', 'is-enabled', ...units]);
    const lines = states.stdout.trim().split('\n');
    assert.deepEqual(Object.fromEntries(units.map((unit, i) => [unit, lines[i]])), Object.fromEntries(units.map((unit) => [unit, 'disabled'])), states.stderr);
    // The prune timer only rides along with Docker, which stays disabled until a Docker pool's boot.
    const link = readlinkSync(root.path('etc/systemd/system/docker.service.wants/docker-prune.timer'));
    assert.equal(link, '/usr/local/lib/systemd/system/docker-prune.timer');
  });

  it('the Debian packages are the pinned releases, and the stand-ins are recorded as such', () => {
    const facts = readFileSync(root.path('etc/mesos-cluster/image.env'), 'utf8');
    assert.match(facts, /zookeeper=3\.8\.0-11\+deb12u\d/);
    assert.match(facts, /docker\.io=20\.10\.24\+dfsg1-1\+deb12u\d/);
    assert.match(facts, /awscli=2\.9\.19-1/);
    assert.match(facts, /^IMAGE_STAND_INS=true$/m);
  });

  it('an artifact that does not match its SHA-256 pin stops provisioning before anything is installed', async () => {
    writeFileSync(root.path('tmp/mesos_1.11.0-1.debian12_amd64.deb'), 'not a package\n');
    const env = { ARTIFACT_DIR: '/tmp', MESOS_DEB: 'mesos_1.11.0-1.debian12_amd64.deb', MESOS_DEB_SHA256: '0'.repeat(64) };
    const run = await root.chroot(['bash', `${IMAGE_DIR}/provision.sh`], env);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /provision: Mesos package: \/tmp\/mesos_1\.11\.0-1\.debian12_amd64\.deb does not match MESOS_DEB_SHA256/);
    assert.doesNotMatch(run.stdout, /Reading package lists/, 'apt never ran');
  });

  it('check-image refuses an image baked with stand-ins at a real boot', async () => {
    const checked = await checkImage(['mesos-agent', 'marathon', 'session-manager', 'docker-authz'], false);
    assert.equal(checked.code, 1);
    assert.match(checked.stderr, /\/usr\/sbin\/mesos-agent is a test stand-in/);
    assert.match(checked.stderr, /\/usr\/share\/marathon\/bin\/marathon is a test stand-in/);
    assert.match(checked.stderr, /\/usr\/bin\/amazon-ssm-agent is a test stand-in/);
    assert.match(checked.stderr, /\/usr\/local\/bin\/opa-docker-authz is a test stand-in/);
  });

  it("an SSM agent package that does not match its SHA-256 pin stops provisioning before anything is installed, and so does a version that is not one", async () => {
    // The three other artifacts match their pins, so the SSM agent's is the check that fails.
    const artifacts: Record<string, string> = { MESOS_DEB: 'mesos.deb', MARATHON_TARBALL: 'marathon.tgz', JAVA8_TARBALL: 'java8.tgz' };
    const env: Record<string, string> = { ARTIFACT_DIR: '/tmp/ssm-pin' };
    mkdirSync(root.path('tmp/ssm-pin'), { recursive: true });
    for (const [name, file] of Object.entries(artifacts)) {
      writeFileSync(root.path(`tmp/ssm-pin/${file}`), `${name}\n`);
      env[name] = file;
      env[`${name}_SHA256`] = createHash('sha256').update(`${name}\n`).digest('hex');
    }
    // Already in ARTIFACT_DIR: nothing is downloaded (the test has no way to AWS).
    writeFileSync(root.path('tmp/ssm-pin/amazon-ssm-agent_3.3.1142.0_amd64.deb'), 'not the package\n');
    const ssm = { SSM_AGENT_VERSION: '3.3.1142.0', SSM_AGENT_DEB_SHA256: '0'.repeat(64), SSM_AGENT_REGION: 'us-east-1' };
    const run = await root.chroot(['bash', `${IMAGE_DIR}/provision.sh`], { ...env, ...ssm });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /provision: amazon-ssm-agent package: \/tmp\/ssm-pin\/amazon-ssm-agent_3\.3\.1142\.0_amd64\.deb does not match SSM_AGENT_DEB_SHA256/);
    assert.doesNotMatch(run.stdout, /Reading package lists/, 'apt never ran');

    const latest = await root.chroot(['bash', `${IMAGE_DIR}/provision.sh`], { ...env, ...ssm, SSM_AGENT_VERSION: 'latest' });
    assert.equal(latest.code, 1);
    assert.match(latest.stderr, /provision: amazon-ssm-agent: SSM_AGENT_VERSION 'latest' is not a release number such as 3\.3\.1142\.0/);
  });

  it('check-image fails on a root missing a unit, and on a wrapper with the "slave" spelling', async () => {
    const unit = root.path('usr/local/lib/systemd/system/mesos-slave.service');
    renameSync(unit, `${unit}.away`);
    try {
      const checked = await checkImage(['mesos-agent']);
      assert.equal(checked.code, 1);
      assert.match(checked.stderr, /no mesos-slave\.service in \/usr\/local\/lib\/systemd\/system/);
    } finally {
      renameSync(`${unit}.away`, unit);
    }

    const wrapper = root.path('usr/bin/mesos-init-wrapper');
    renameSync(wrapper, `${wrapper}.away`);
    try {
      writeFileSync(wrapper, '#!/bin/bash\n# Mesosphere layout: flags in /etc/mesos-slave\n', { mode: 0o755 });
      const checked = await checkImage(['mesos-agent']);
      assert.equal(checked.code, 1);
      assert.match(checked.stderr, /mesos-init-wrapper does not read \/etc\/mesos-agent/);
    } finally {
      renameSync(`${wrapper}.away`, wrapper);
    }
  });

  it("the ZooKeeper unit's environment and classpath load Debian's ZooKeeper 3.8 on Java 17", async () => {
    // The unit's ExecStart with the version class instead of the server: no port is opened.
    const script = 'set -a; . /etc/zookeeper/conf/environment; exec /usr/bin/java -cp "$CLASSPATH" org.apache.zookeeper.version.VersionInfoMain';
    const version = await root.chroot(['runuser', '-u', 'zookeeper', '--', 'bash', '-c', script]);
    assert.equal(version.code, 0, version.stderr);
    assert.match(version.stdout, /version 3\.8\.0 /);
    assert.match(readFileSync(root.path('usr/local/lib/systemd/system/zookeeper.service'), 'utf8'), /^EnvironmentFile=\/etc\/zookeeper\/conf\/environment$/m);
  });

  it("Mesos' own logs rotate into olddir, where the pattern no longer matches them", async () => {
    const log = '/var/log/mesos/mesos-agent.agent-1.root.log.INFO.20261201-120000.4242';
    writeFileSync(root.path(log), 'I1201 12:00:00.000000  4242 slave.cpp:1] started\n'.repeat(1000));
    const rotated = await root.chroot(['logrotate', '--force', '--state', '/tmp/logrotate.state', '/etc/logrotate.d/mesos']);
    assert.equal(rotated.code, 0, rotated.stderr);
    assert.equal(readFileSync(root.path(log), 'utf8'), '', 'truncated in place: glog keeps writing to the same file');
    const kept = await root.chroot(['ls', '/var/log/mesos/rotated']);
    assert.deepEqual(kept.stdout.trim().split('\n'), [`${log.split('/').pop()}.1`]);
  });

  it('check-image fails on a unit without Restart=', async () => {
    const unit = root.path('usr/local/lib/systemd/system/zookeeper.service');
    const original = readFileSync(unit, 'utf8');
    try {
      writeFileSync(unit, original.replace(/^Restart=.*\n/m, ''));
      const checked = await checkImage(['zookeeper']);
      assert.equal(checked.code, 1);
      assert.match(checked.stderr, /zookeeper\.service has no Restart=always/);
    } finally {
      writeFileSync(unit, original);
    }
  });

  // Last: it boots the same root (no second debootstrap), and the boot changes it.
  describeFirstBoot(() => root);
});
