import assert from 'node:assert/strict';
import { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BootedRoot } from '../support/booted-root';
import { fixtureTopologies, parseCloudConfig, renderAll, unitActivation, CloudConfig } from '../support/cloud-init-fixtures';
import type { DebianRoot } from '../support/debian-root';
import { assertToolAvailable, gateOn, missingTool } from '../support/tool-gate';
import { poll } from '../support/zookeeper-ensemble';
import { jvmFlags, killGroup, probeZookeeperRuntime, RuntimeProbe } from '../support/zookeeper-runtime';

/** The node booted: the first ZooKeeper server of the AWS example, whose software is all Debian's. */
const NODE = 'ci-aws/zookeeper-1';
const PEERS = ['ci-aws/zookeeper-2', 'ci-aws/zookeeper-3'];
/** Where the peers, stand-ins for the other two servers, listen for clients (not the node's 2181). */
const PEER_CLIENT_PORT = 2182;
const BOOT_TIMEOUT_MS = 600_000;
/** The NoCloud seed's instance id: cloud-init keeps the boot's files in /var/lib/cloud/instances/<id>. */
const INSTANCE_ID = `i-${NODE.replace('/', '-')}`;

function documentText(id: string): string {
  const [aws] = fixtureTopologies();
  const doc = renderAll(aws.topology).find((d) => d.id === id);
  if (!doc) throw new Error(`no document ${id}`);
  return doc.text;
}

function documentOf(id: string): CloudConfig {
  return parseCloudConfig(documentText(id));
}

function fileContent(config: CloudConfig, path: string): string {
  const file = config.write_files.find((f) => f.path === path);
  if (!file) throw new Error(`no ${path} in the document`);
  return file.content;
}

function factOf(config: CloudConfig, key: string): string {
  const match = new RegExp(`^${key}=(.*)$`, 'm').exec(fileContent(config, '/etc/mesos-cluster/facts.env'));
  if (!match) throw new Error(`no ${key} in facts.env`);
  return match[1].replace(/^"|"$/g, '');
}

/**
 * The whole first boot of a role's document, in the image the recipe test baked: systemd as PID
 * 1 of its own namespaces, cloud-init from a NoCloud seed through all four stages (init-local,
 * init, modules:config, modules:final), the document's runcmd with the real units. The node is a
 * ZooKeeper server: all its software is real (Debian's ZooKeeper 3.8 on Java 17); no Mesos or
 * Marathon stand-in is involved. Stand-ins: the two other servers of the ensemble (real ZooKeeper
 * processes of this machine, in the node's network namespace), the cloud's network (cloud-init's
 * network configuration is off; the addresses sit on the namespace's loopback device) and the
 * datasource (NoCloud in place of EC2's metadata service).
 */
export function describeFirstBoot(rootOf: () => DebianRoot): void {
  const zookeeper = probeZookeeperRuntime();
  const missing = missingTool('nsenter', 'util-linux') ?? missingTool('ip', 'iproute2') ?? (zookeeper.ok ? undefined : zookeeper.reason);
  describe(`first boot of ${NODE} under systemd, cloud-init's whole run from a NoCloud seed`, gateOn(missing), () => {
    const config = documentOf(NODE);
    let node: BootedRoot;
    const peers: ChildProcess[] = [];
    let bootSeconds = 0;
    let root: DebianRoot;

    before(async () => {
      assertToolAvailable(missing);
      root = rootOf();
      const seed = root.path('var/lib/cloud/seed/nocloud');
      mkdirSync(seed, { recursive: true });
      writeFileSync(join(seed, 'meta-data'), `instance-id: ${INSTANCE_ID}\nlocal-hostname: ${config.hostname}\n`);
      writeFileSync(join(seed, 'user-data'), documentText(NODE));
      writeFileSync(
        root.path('etc/cloud/cloud.cfg.d/99-mesos-cluster-boot-test.cfg'),
        '# Boot test only: the seed stands in for EC2, and the namespace has no network to configure.\ndatasource_list: [NoCloud]\nnetwork: {config: disabled}\n',
      );
      const addresses = [config, ...PEERS.map(documentOf)].map((c) => factOf(c, 'CLUSTER_NODE_IP'));
      const start = Date.now();
      node = await BootedRoot.boot(root.dir, addresses);
      peers.push(...startPeers(node, addresses, zookeeper));
      // `cloud-init status --wait` returns as soon as one stage has failed; the final stage
      // still runs after that, so wait for it (it writes boot-finished last). Read from this
      // machine (instance/ is an absolute link inside the root, so by the instance's own
      // folder): a poll costs no process. cloud-init's own status (a Python start, most of a
      // CPU-second) is asked only when the wait has failed.
      const finished = root.path(`var/lib/cloud/instances/${INSTANCE_ID}/boot-finished`);
      await poll('cloud-init to finish its final stage', BOOT_TIMEOUT_MS, 1_000, async () => ({
        done: existsSync(finished),
        value: undefined,
        describe: `console: ${node.consoleTail(1500)}`,
      })).catch(async (error: Error) => {
        throw new Error(`${error.message}; cloud-init status: ${(await node.exec(['cloud-init', 'status'])).stdout.trim()}`);
      });
      bootSeconds = (Date.now() - start) / 1000;
    });

    after(async () => {
      for (const peer of peers) killGroup(peer, 'SIGKILL');
      await node?.shutdown();
    });

    it('cloud-init ran init-local, init, modules:config and modules:final, each without an error', (t) => {
      t.diagnostic(`boot to cloud-init done: ${bootSeconds}s`);
      const status = JSON.parse(readFileSync(root.path('var/lib/cloud/data/status.json'), 'utf8')).v1;
      for (const stage of ['init-local', 'init', 'modules-config', 'modules-final']) {
        assert.ok(status[stage]?.finished, `${stage} finished`);
        assert.deepEqual(status[stage].errors, [], stage);
      }
      assert.equal(status.datasource.startsWith('DataSourceNoCloud'), true, status.datasource);
      const result = JSON.parse(readFileSync(root.path('var/lib/cloud/data/result.json'), 'utf8')).v1;
      assert.deepEqual(result.errors, []);
    });

    it('every write_files entry is on the node with its content and permissions', async () => {
      // Read on the node: some paths (/etc/zookeeper/conf) are links that resolve only there.
      for (const file of config.write_files) {
        assert.equal((await node.exec(['cat', file.path])).stdout, file.content, file.path);
        assert.equal((await node.exec(['stat', '-L', '-c', '%04a', file.path])).stdout.trim(), file.permissions, file.path);
      }
    });

    it('the node is named as its document says, and ZooKeeper runs as the image\'s zookeeper user', async () => {
      assert.equal((await node.exec(['hostname'])).stdout.trim(), config.hostname);
      const pid = (await node.exec(['systemctl', 'show', '--value', '-p', 'MainPID', 'zookeeper'])).stdout.trim();
      assert.notEqual(pid, '0');
      assert.equal((await node.exec(['stat', '-c', '%U', `/proc/${pid}`])).stdout.trim(), 'zookeeper');
    });

    it("the role's unit is enabled and running, and every other role's unit is masked", async () => {
      const { enable, mask } = unitActivation(config);
      assert.deepEqual(enable, ['zookeeper']);
      for (const unit of enable) {
        assert.equal((await node.exec(['systemctl', 'is-enabled', unit])).stdout.trim(), 'enabled', unit);
        assert.equal((await node.exec(['systemctl', 'is-active', unit])).stdout.trim(), 'active', unit);
      }
      // One systemctl for all of them: it prints one state a line, in the order asked.
      const states = (await node.exec(['systemctl', 'is-enabled', ...mask])).stdout.trim().split('\n');
      assert.deepEqual(Object.fromEntries(mask.map((unit, i) => [unit, states[i]])), Object.fromEntries(mask.map((unit) => [unit, 'masked'])));
    });

    it('the stages ran in order, ZooKeeper was (re)started by the final stage, and the node was marked ready after it served', async () => {
      const started = async (unit: string) =>
        Number((await node.exec(['systemctl', 'show', '--value', '-p', 'ActiveEnterTimestampMonotonic', unit])).stdout.trim());
      const stages = ['cloud-init-local.service', 'cloud-init.service', 'cloud-config.service', 'cloud-final.service'];
      const times = await Promise.all([...stages, 'network-online.target', 'zookeeper.service'].map(started));
      for (const time of times) assert.ok(time > 0);
      const [local, init, modulesConfig, final, networkOnline, zookeeper] = times;
      assert.ok(local < init && init < networkOnline && networkOnline < modulesConfig && modulesConfig < final, times.join(' '));
      const finalStart = Number((await node.exec(['systemctl', 'show', '--value', '-p', 'ExecMainStartTimestampMonotonic', 'cloud-final.service'])).stdout.trim());
      assert.ok(finalStart < zookeeper && zookeeper < final, `cloud-final ${finalStart}..${final}, zookeeper ${zookeeper}`);
      assert.ok(statSync(root.path('var/lib/mesos-cluster/ready')).isFile());
    });

    it('ZooKeeper serves in the ensemble, and its root carries the ACL the document sets', async () => {
      const srvr = await node.exec(['bash', '-c', 'exec 3<>/dev/tcp/127.0.0.1/2181; printf srvr >&3; timeout 5 cat <&3']);
      assert.match(srvr.stdout, /^Mode: (leader|follower)$/m);
      const address = factOf(config, 'CLUSTER_NODE_IP');
      const acl = await node.exec(['/usr/share/zookeeper/bin/zkCli.sh', '-server', `${address}:2181`, 'getAcl', '/']);
      const expected = /protect-zookeeper-root" (\S+)/.exec(fileContent(config, '/usr/local/lib/mesos-cluster/configure-node'))![1];
      for (const entry of expected.split(',')) {
        const [scheme, ...rest] = entry.split(':');
        const perms = rest.pop()!;
        assert.match(acl.stdout, new RegExp(`'${scheme},'${rest.join(':').replace(/[./]/g, '\\$&')}\\n: ${perms}`), entry);
      }
    });
  });
}

/**
 * The ensemble's other two servers: real ZooKeeper processes of this machine in the node's
 * network namespace, each on its own address, with the document's zoo.cfg and a client port of
 * their own (they share the namespace with the node, whose client port is 2181 on every address).
 */
function startPeers(node: BootedRoot, addresses: string[], runtime: RuntimeProbe): ChildProcess[] {
  if (!runtime.ok) throw new Error(runtime.reason);
  return PEERS.map((id, i) => {
    const peer = documentOf(id);
    const dir = join(node.dir, '..', `peer-${i + 2}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'myid'), fileContent(peer, '/var/lib/zookeeper/myid'));
    const cfg = fileContent(peer, '/etc/zookeeper/conf/zoo.cfg')
      .replace(/^dataDir=.*$/m, `dataDir=${dir}`)
      .replace(/^clientPort=.*$/m, `clientPort=${PEER_CLIENT_PORT}\nclientPortAddress=${addresses[i + 1]}`);
    writeFileSync(join(dir, 'zoo.cfg'), cfg);
    return node.spawnInNetwork(runtime.runtime.java, [...jvmFlags('128m'), '-cp', runtime.runtime.classpath, 'org.apache.zookeeper.server.quorum.QuorumPeerMain', join(dir, 'zoo.cfg')]);
  });
}
