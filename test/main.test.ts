import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { EXAMPLE_FILE } from './support/aws-synth';
import { OPENSTACK_EXAMPLE_FILE } from './support/openstack-synth';
import { entryBundle } from './support/run-cli';

/**
 * Runs main.ts as operators do (`npm run synth`: the prebuilt app, which app.test.ts proves
 * behaves as main.ts under tsx, at a third of tsx's CPU), on a folder of cluster files, writing
 * into a scratch outdir.
 */
function synth(files: Record<string, string>, prepare: (clusters: string) => void = () => {}) {
  const dir = mkdtempSync(join(tmpdir(), 'mesos-cluster-main-'));
  const clusters = join(dir, 'clusters');
  mkdirSync(clusters);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(clusters, name), text);
  prepare(clusters);
  const outdir = join(dir, 'out');
  const result = spawnSync(process.execPath, [join(__dirname, '..', 'scripts', 'app.js')], {
    env: { ...process.env, CLUSTERS_DIR: clusters, CDKTF_OUTDIR: outdir },
    encoding: 'utf8',
  });
  return { ...result, outdir, clusters };
}

describe('main: cluster files in, one stack per file out', () => {
  const example = readFileSync(EXAMPLE_FILE, 'utf8');

  it('writes cdktf.out/stacks/<name>/ for each cluster file in CLUSTERS_DIR', () => {
    const run = synth({ 'a.yaml': example, 'b.yml': example.replace('name: ci-aws', 'name: ci-aws-2') });
    assert.equal(run.status, 0, run.stderr);
    for (const name of ['ci-aws', 'ci-aws-2']) {
      const stack = JSON.parse(readFileSync(join(run.outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'));
      assert.ok(stack.resource.aws_instance['zookeeper-1_instance'], name);
    }
  });

  it('reports every problem of every invalid file, exits 1 and writes no stack', () => {
    const bad = example.replace('count: 3\n  size: t3.medium', 'count: 2\n  size: t3.medium').replace('cidr: 10.20.0.0/16', 'cidr: 10.20.0.0/33');
    const run = synth({ 'good.yaml': example, 'bad.yaml': bad, 'worse.yaml': 'name: [' });
    assert.equal(run.status, 1);
    const lines = run.stderr.trim().split('\n');
    assert.ok(lines.some((l) => l.startsWith(`${join(run.clusters, 'bad.yaml')}: zookeeper.count: 2 is even`)), run.stderr);
    assert.ok(lines.some((l) => l.startsWith(`${join(run.clusters, 'bad.yaml')}: network.cidr: "10.20.0.0/33"`)), run.stderr);
    assert.ok(lines.some((l) => l.startsWith(`${join(run.clusters, 'worse.yaml')}: line 1`) && l.includes('malformed YAML')), run.stderr);
    assert.match(lines[lines.length - 1], /3 problem\(s\) in 2 cluster file\(s\); nothing was synthesized/);
    assert.equal(existsSync(run.outdir), false, 'no stack is written, not even for the valid file');
  });

  it('refuses a cluster whose user-data EC2 would refuse at apply time', () => {
    // Hash-like values barely compress: enough of them pass the limit even gzip-compressed.
    const attributes = Array.from({ length: 400 }, (_, i) => `      label-${i}: ${createHash('sha256').update(String(i)).digest('hex')}`).join('\n');
    const run = synth({ 'big.yaml': example.replace('      rack: shared', `      rack: shared\n${attributes}`) });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /big\.yaml: pools\.jenkins-masters: the user-data of pool jenkins-masters is \d+ bytes compressed, over EC2's limit of 16384/);
  });

  it('stops on an error-level policy finding, naming resource, rule and fix, and leaves no stack behind', () => {
    const run = synth({ 'wide.yaml': example.replace('adminCidrs: [198.51.100.0/24]', 'adminCidrs: [8.0.0.0/7]') });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /^ci-aws: aws_vpc_security_group_ingress_rule\.security-groups_bastion-ssh-from-admin-8-0-0-0-7: error no-world-ingress: admits 8\.0\.0\.0\/7 to ports 22-22\. Fix: /m);
    assert.match(run.stderr, /policy rules failed .*; nothing was synthesized\n$/);
    assert.equal(existsSync(run.outdir), false, 'not even the folders the App creates');
  });

  it('synthesizes a suppressed finding and prints it with its reason', () => {
    const suppressed = ['bastion-ssh', 'load-balancer-mesos-ui', 'load-balancer-marathon-ui', 'ui-redirect-http-redirect', 'edge-listener-edge-https'].map(
      (rule) => `    - {rule: no-world-ingress, resource: aws_vpc_security_group_ingress_rule.security-groups_${rule}-from-admin-8-0-0-0-7, reason: the lab network is a /7 on purpose}`,
    );
    const file = example.replace('adminCidrs: [198.51.100.0/24]', 'adminCidrs: [8.0.0.0/7]') + `policy:\n  suppressions:\n${suppressed.join('\n')}\n`;
    const run = synth({ 'wide.yaml': file });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /^ci-aws: aws_vpc_security_group_ingress_rule\.security-groups_bastion-ssh-from-admin-8-0-0-0-7: suppressed no-world-ingress: .* \(reason: the lab network is a \/7 on purpose\)$/m);
    assert.ok(existsSync(join(run.outdir, 'stacks', 'ci-aws', 'cdk.tf.json')));
  });

  it('refuses two files that name the same cluster', () => {
    const dir = synth({ 'a.yaml': example, 'b.yaml': example });
    assert.equal(dir.status, 1);
    assert.match(dir.stderr, /b\.yaml: name: cluster name "ci-aws" is already used by a\.yaml/);
  });

  it('writes the OpenStack stack, and refuses an OpenStack file missing its settings with one line per setting', () => {
    const openstack = readFileSync(OPENSTACK_EXAMPLE_FILE, 'utf8');
    const ok = synth({ 'ci-openstack.yaml': openstack });
    assert.equal(ok.status, 0, ok.stderr);
    const stack = JSON.parse(readFileSync(join(ok.outdir, 'stacks', 'ci-openstack', 'cdk.tf.json'), 'utf8'));
    assert.ok(stack.resource.openstack_compute_instance_v2['servers_zookeeper-1_instance']);
    const bare = 'name: bare\ncloud: openstack\nimage: debian-12\nsshKey: { name: admin }\nnetwork: { zones: [az1], adminCidrs: [198.51.100.0/24] }\n';
    const run = synth({ 'bare.yaml': bare });
    assert.equal(run.status, 1);
    const lines = run.stderr.trim().split('\n');
    const file = join(run.clusters, 'bare.yaml');
    for (const path of ['openstack', 'zookeeper.size', 'masters.size', 'marathon.size', 'bastion.size']) {
      assert.equal(lines.filter((l) => l.startsWith(`${file}: ${path}: `)).length, 1, `${path} in\n${run.stderr}`);
    }
    assert.match(lines[lines.length - 1], /^5 problem\(s\) in 1 cluster file\(s\)/);
  });

  it('fails clearly on a folder without cluster files', () => {
    const run = synth({});
    assert.equal(run.status, 1);
    assert.match(run.stderr, /no cluster files \(\*\.yaml\) found/);
  });

  it('reports hostile files one line each, with no stack trace, and writes nothing', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...['b', 'c', 'd', 'e', 'f', 'g'].map((n, i) => `${n}: &${n} [${Array(9).fill(`*${'abcdef'[i]}`).join(', ')}]`)];
    const run = synth({
      'good.yaml': example,
      'bomb.yaml': `${example}${bomb.join('\n')}\n`,
      'two.yaml': `${example}---\n${example}`,
      'tagged.yaml': example.replace('image: ami', 'image: !!js/function ami'),
      'hostile.yaml': example.replace('image: ami-0123456789abcdef0', 'image: ami-${trimspace(file("/etc/hostname"))}'),
    }, (clusters) => {
      symlinkSync('nowhere', join(clusters, '.#good.yaml'));
      symlinkSync('/dev/zero', join(clusters, 'zero.yaml'));
      mkdirSync(join(clusters, 'folder.yaml'));
    });
    assert.equal(run.status, 1);
    assert.doesNotMatch(run.stderr, /\n\s+at |Error:|node:internal/, run.stderr);
    const lines = run.stderr.trim().split('\n');
    for (const name of ['bomb', 'two', 'tagged', 'hostile', '.#good', 'zero', 'folder']) {
      assert.equal(lines.filter((l) => l.startsWith(`${join(run.clusters, name)}.yaml: `)).length, 1, `${name}:\n${run.stderr}`);
    }
    assert.match(lines[lines.length - 1], /^7 problem\(s\) in 7 cluster file\(s\); nothing was synthesized$/);
    assert.equal(existsSync(run.outdir), false);
  });

  it('reports a missing cluster folder in one line', () => {
    const run = synth({}, (clusters) => rmSync(clusters, { recursive: true }));
    assert.equal(run.status, 1);
    assert.match(run.stderr.trim(), /clusters: cannot be read: it does not exist/);
    assert.doesNotMatch(run.stderr, /\n\s+at /);
  });
});

describe('npm run render: user input never gets a stack trace', () => {
  const render = (args: string[]) =>
    spawnSync(process.execPath, [entryBundle('lib/cli/render.ts'), ...args], { encoding: 'utf8' });
  const dir = mkdtempSync(join(tmpdir(), 'mesos-cluster-render-'));

  it('reports an unreadable cluster file in one line and writes nothing', () => {
    symlinkSync('nowhere', join(dir, '.#c.yaml'));
    const run = render([join(dir, '.#c.yaml'), join(dir, 'out')]);
    assert.equal(run.status, 1);
    assert.equal(run.stderr, `${join(dir, '.#c.yaml')}: (file): cannot be read: it does not exist, or is a symbolic link to nothing (an editor lock file such as .#name.yaml?)\n`);
    assert.equal(existsSync(join(dir, 'out')), false);
  });

  it('reports an out folder it cannot write in one line', () => {
    writeFileSync(join(dir, 'a-file'), '');
    const run = render([EXAMPLE_FILE, join(dir, 'a-file', 'out')]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /a-file\/out: cannot be written: a part of its path is not a folder\n$/);
  });
});

