import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { renderPoolUserData, renderServerUserData } from '../../lib/cloud-init';
import { MESOS, ZOOKEEPER } from '../../lib/cloud-init/layout';
import { formatAttributes, PORTS } from '../../lib/model';
import { allFixtureDocuments, fileAt, fixtureTopologies, parseCloudConfig, REPO } from '../support/cloud-init-fixtures';
import { entryBundle } from '../support/run-cli';

const [aws, colocated] = fixtureTopologies().map((f) => f.topology);

/** The `activate-units` line of a document's configure-node script. */
function unitLine(text: string): { enable: string[]; mask: string[] } {
  // A long step continues over lines (`\`): read it as the one command bash runs.
  const script = fileAt(parseCloudConfig(text), `/usr/local/lib/mesos-cluster/configure-node`)!.content.replace(/ \\\n\s*/g, ' ');
  const line = script.split('\n').find((l) => l.includes('activate-units'))!;
  const [, enable, mask] = /--enable ?(.*) --mask (.*)$/.exec(line)!;
  return { enable: enable.split(' ').filter(Boolean), mask: mask.split(' ') };
}

describe('cloud-config documents', () => {
  it('start with #cloud-config and stay under the 16 KiB AWS user-data limit once gzip-compressed (as the AWS stack sends them)', () => {
    for (const document of allFixtureDocuments()) {
      assert.ok(document.text.startsWith('#cloud-config\n'), document.id);
      const bytes = gzipSync(document.text, { level: 9 }).length;
      assert.ok(bytes < 16 * 1024, `${document.id}: ${bytes} bytes compressed`);
    }
  });

  it('quorum servers take their stable name; agents of a pool name themselves at boot', () => {
    for (const server of [...aws.servers, ...colocated.servers]) {
      const topology = server.role === 'control' ? colocated : aws;
      const config = parseCloudConfig(renderServerUserData(topology, server.name));
      assert.equal(config.hostname, server.name);
      assert.match(fileAt(config, '/etc/mesos-cluster/facts.env')!.content, new RegExp(`^CLUSTER_NODE_IP=${server.privateIp}$`, 'm'));
    }
    for (const pool of aws.pools) {
      const config = parseCloudConfig(renderPoolUserData(aws, pool.name));
      assert.equal(config.hostname, undefined);
      assert.equal(config.preserve_hostname, true);
      assert.match(fileAt(config, '/usr/local/lib/mesos-cluster/configure-node')!.content, new RegExp(`agent-identity" ${pool.name}${pool.volume ? ' --volume-attribute' : ''}$`, 'm'));
    }
  });

  it('agents of pools with volumes learn their volume attribute at boot and may create host paths under the mount path only', () => {
    for (const pool of aws.pools) {
      const config = parseCloudConfig(renderPoolUserData(aws, pool.name));
      const forceCreation = fileAt(config, '/etc/mesos-agent/host_path_volume_force_creation');
      assert.equal(forceCreation?.content, pool.volume ? `${pool.volume.mountPath}\n` : undefined, pool.name);
      assert.equal(/volume\/host_path/.test(fileAt(config, '/etc/mesos-agent/isolation')!.content), pool.volume !== undefined, pool.name);
    }
  });

  it('each node enables its own units and masks every other role, including the other Mesos unit', () => {
    const expected: Record<string, string[]> = {
      zookeeper: ['zookeeper'],
      // Every master runs the drain gate agents drain themselves through.
      'mesos-master': ['mesos-master', 'mesos-drain-gate'],
      marathon: ['marathon'],
      control: ['zookeeper', 'mesos-master', 'marathon', 'mesos-drain-gate'],
      bastion: [],
      edge: ['nginx', 'mesos-cluster-edge'],
    };
    for (const document of allFixtureDocuments()) {
      const { enable, mask } = unitLine(document.text);
      if (document.role === 'mesos-agent') {
        assert.ok(enable.includes('mesos-slave') && mask.includes('mesos-master'), document.id);
      } else {
        assert.deepEqual(enable, expected[document.role], document.id);
        assert.ok(mask.includes('mesos-slave'), `${document.id} masks the agent unit the package enabled`);
      }
      assert.deepEqual(enable.filter((u) => mask.includes(u)), [], document.id);
    }
  });

  it('zookeeper: zoo.cfg lists the ensemble, myid sits in dataDir, 4lw limited, AdminServer off', () => {
    for (const server of aws.zookeeper.servers) {
      const config = parseCloudConfig(renderServerUserData(aws, server.name));
      const zooCfg = fileAt(config, ZOOKEEPER.config)!.content;
      assert.match(zooCfg, /^dataDir=\/var\/lib\/zookeeper$/m);
      assert.match(zooCfg, new RegExp(`^clientPort=${PORTS.zookeeperClient}$`, 'm'));
      const servers = aws.zookeeper.servers.map((s) => `server.${s.zookeeperId}=${s.privateIp}:2888:3888`);
      assert.deepEqual(zooCfg.split('\n').filter((l) => l.startsWith('server.')), servers);
      assert.equal(fileAt(config, `${ZOOKEEPER.dataDir}/myid`)!.content, `${server.zookeeperId}\n`);
      const words = /^4lw\.commands\.whitelist=(.*)$/m.exec(zooCfg)![1].split(',');
      // srvr: await-ready and verify; mntr: verify's synced followers; ruok: a liveness probe that tells nothing.
      assert.deepEqual(words.sort(), ['mntr', 'ruok', 'srvr']);
      assert.match(zooCfg, /^admin\.enableServer=false$/m, 'the AdminServer would take Marathon\'s 8080');
      assert.match(zooCfg, /^autopurge\.purgeInterval=[1-9]/m);
    }
  });

  it('mesos-master: ZooKeeper, quorum, cluster name, its fixed address, work_dir off /tmp', () => {
    for (const server of aws.mesos.masters) {
      const config = parseCloudConfig(renderServerUserData(aws, server.name));
      const flag = (name: string) => fileAt(config, `${MESOS.masterFlagDir}/${name}`)?.content.trim();
      // The URL with the owner's credentials is fetched at boot (test/cloud-init/auth.test.ts).
      assert.equal(flag('zk'), 'file:///etc/mesos-cluster/secrets/mesos-zk-url');
      assert.equal(fileAt(config, MESOS.zkFile)!.content.trim(), aws.mesos.zkUrl);
      assert.equal(flag('quorum'), '2');
      assert.equal(flag('cluster'), 'ci-aws');
      assert.equal(flag('ip'), server.privateIp);
      assert.equal(flag('hostname'), server.privateIp);
      assert.ok(flag('work_dir') && !flag('work_dir')!.startsWith('/tmp'));
    }
  });

  it('mesos-agent: pool attributes, role reservation, Docker only on Docker pools, recovery without --checkpoint', () => {
    for (const pool of aws.pools) {
      const config = parseCloudConfig(renderPoolUserData(aws, pool.name));
      const flag = (name: string) => fileAt(config, `${MESOS.agentFlagDir}/${name}`)?.content.trim();
      const attributes = Object.fromEntries(
        config.write_files
          .filter((f) => f.path.startsWith(`${MESOS.agentFlagDir}/attributes/`))
          .map((f) => [f.path.split('/').pop()!, f.content.trim()]),
      );
      assert.equal(formatAttributes(attributes), formatAttributes(pool.attributes));
      assert.equal(attributes.pool, pool.name);
      assert.equal(flag('default_role'), pool.mesosRole === '*' ? undefined : pool.mesosRole);
      assert.equal(flag('containerizers'), pool.docker ? 'docker,mesos' : undefined);
      assert.equal(flag('docker_socket'), pool.docker ? '/var/run/docker.sock' : undefined);
      assert.equal(flag('recover'), 'reconnect');
      assert.ok(fileAt(config, `${MESOS.agentFlagDir}/?strict`));
      assert.equal(config.write_files.filter((f) => /checkpoint/.test(f.path)).length, 0);
      assert.equal(flag('master'), aws.mesos.zkUrl);
    }
    assert.equal(aws.pools.find((p) => p.name === 'jenkins-masters')!.mesosRole, 'marathon');
  });

  it('mesos-agent: every pool runs container images, so every pool gives executors 5 minutes to register (image pull included)', () => {
    for (const pool of aws.pools) {
      const config = parseCloudConfig(renderPoolUserData(aws, pool.name));
      assert.equal(fileAt(config, `${MESOS.agentFlagDir}/image_providers`)?.content.trim(), 'DOCKER', pool.name);
      assert.equal(fileAt(config, `${MESOS.agentFlagDir}/executor_registration_timeout`)?.content.trim(), '5mins', pool.name);
    }
    assert.ok(aws.pools.some((p) => p.name === 'jenkins-masters' && !p.docker), 'a pool without Docker is among them');
  });

  it('names the server or pool it does not know, with the ones it does', () => {
    assert.throws(() => renderServerUserData(aws, 'zookeeper-9'), /zookeeper-9.*zookeeper-1/);
    assert.throws(() => renderPoolUserData(aws, 'gpu'), /"gpu".*jenkins-masters, builds/);
  });
});

describe('npm run render', () => {
  const cli = join(REPO, 'lib', 'cli', 'render.ts');
  const render = (...args: string[]) => spawnSync(process.execPath, [entryBundle(cli), ...args], { cwd: REPO, encoding: 'utf8' });

  it('writes one document per quorum server, per pool, for the bastion and for the edge', () => {
    const out = mkdtempSync(join(tmpdir(), 'render-'));
    const result = render(join(REPO, 'clusters', 'ci-aws.yaml'), out);
    assert.equal(result.status, 0, result.stderr);
    const expected = [...aws.servers.map((s) => s.name), ...aws.pools.map((p) => p.name), 'bastion', 'edge'].map((n) => `${n}.yaml`);
    assert.deepEqual(readdirSync(out).sort(), expected.sort());
  });

  it('prints every problem of a bad cluster file, one per line, and exits 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'render-bad-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'name: Bad_Name\ncloud: aws\naws: {region: us-east-1}\nimage: ami-1\nsshKey: {name: k}\nnetwork: {zones: [a, b], adminCidrs: [0.0.0.0/0]}\nzookeeper: {count: 2}\n');
    const result = render(file, join(dir, 'out'));
    assert.equal(result.status, 1);
    const lines = result.stderr.trim().split('\n');
    assert.ok(lines.length >= 3, result.stderr);
    for (const line of lines) assert.ok(line.startsWith(`${file}: `), line);
  });
});
