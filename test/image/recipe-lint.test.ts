import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO } from '../support/cloud-init-fixtures';
import { assertToolAvailable, gateOn, missingTool } from '../support/tool-gate';

const TEMPLATE = join(REPO, 'image/mesos-cluster.pkr.hcl');
const UNIT_DIR = join(REPO, 'image/units');

/** Every variable the template requires, with dummy artifacts that exist. */
function requiredVars(): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'packer-vars-'));
  const file = (name: string) => {
    writeFileSync(join(dir, name), 'placeholder\n');
    return join(dir, name);
  };
  return [
    'region=us-east-1',
    `mesos_deb=${file('mesos_1.11.0-1.debian12_amd64.deb')}`,
    'mesos_deb_sha256=0000',
    `marathon_tarball=${file('marathon-1.10.26.tgz')}`,
    'marathon_tarball_sha256=0000',
    `java8_tarball=${file('OpenJDK8U-jre_x64_linux.tar.gz')}`,
    'java8_tarball_sha256=0000',
    'ssm_agent_version=3.3.1142.0',
    'ssm_agent_deb_sha256=0000',
    `opa_docker_authz=${file('opa-docker-authz-linux-amd64')}`,
    'opa_docker_authz_sha256=0000',
  ].flatMap((v) => ['-var', v]);
}

const packer = (args: string[]) => spawnSync('packer', args, { encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1', PACKER_CHECKPOINT_DISABLE: '1' } });

describe('the Packer template (Debian packer 1.6.6, offline: no build, no AWS call)', () => {
  const noPacker = missingTool('packer', 'packer');

  it('is formatted, and validates with every required variable given', gateOn(noPacker), () => {
    assertToolAvailable(noPacker);
    const fmt = packer(['fmt', '-check', '-diff', TEMPLATE]);
    assert.equal(fmt.status, 0, fmt.stdout + fmt.stderr);
    const valid = packer(['validate', ...requiredVars(), TEMPLATE]);
    assert.equal(valid.status, 0, valid.stdout + valid.stderr);
  });

  it('refuses to start without the artifacts no Debian archive has', gateOn(noPacker), () => {
    assertToolAvailable(noPacker);
    const valid = packer(['validate', '-var', 'region=us-east-1', TEMPLATE]);
    assert.notEqual(valid.status, 0);
    for (const name of ['mesos_deb', 'marathon_tarball', 'java8_tarball', 'ssm_agent_version', 'ssm_agent_deb_sha256', 'opa_docker_authz']) assert.match(valid.stdout + valid.stderr, new RegExp(name));
  });

  it('hands provision.sh each artifact with its SHA-256 pin', () => {
    const template = readFileSync(TEMPLATE, 'utf8');
    const provision = readFileSync(join(REPO, 'image/provision.sh'), 'utf8');
    for (const name of ['MESOS_DEB', 'MARATHON_TARBALL', 'JAVA8_TARBALL', 'OPA_DOCKER_AUTHZ']) {
      assert.match(template, new RegExp(`"${name}=\\$\\{basename\\(var\\.${name.toLowerCase()}\\)\\}"`));
      assert.match(template, new RegExp(`"${name}_SHA256=\\$\\{var\\.${name.toLowerCase()}_sha256\\}"`));
      assert.match(provision, new RegExp(`"\\$\\{${name}:-\\}" ${name}_SHA256\\)`));
    }
  });

  it("hands provision.sh the SSM agent's version, its SHA-256 pin and the build's region, whose AWS bucket it comes from", () => {
    const template = readFileSync(TEMPLATE, 'utf8');
    const provision = readFileSync(join(REPO, 'image/provision.sh'), 'utf8');
    assert.match(template, /"SSM_AGENT_VERSION=\$\{var\.ssm_agent_version\}"/);
    assert.match(template, /"SSM_AGENT_DEB_SHA256=\$\{var\.ssm_agent_deb_sha256\}"/);
    assert.match(template, /"SSM_AGENT_REGION=\$\{var\.region\}"/);
    assert.match(provision, /verified 'amazon-ssm-agent package' "\$ssm_agent_name" SSM_AGENT_DEB_SHA256\)/);
    assert.match(provision, /'https:\/\/s3\.%s\.amazonaws\.com\/amazon-ssm-%s\/%s\/debian_amd64\/amazon-ssm-agent\.deb'/);
  });
});

describe('the provisioning script and the units', () => {
  const noShellcheck = missingTool('shellcheck', 'shellcheck');
  it('shellcheck finds nothing in provision.sh and check-image.sh, at every severity', gateOn(noShellcheck), () => {
    assertToolAvailable(noShellcheck);
    const scripts = [join(REPO, 'image/provision.sh'), join(REPO, 'cloud-init/scripts/check-image.sh')];
    const result = spawnSync('shellcheck', ['--severity=style', '--format=gcc', ...scripts], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stdout + result.stderr);
  });

  it('every long-running unit restarts whatever the exit, never gives up, and raises its file limit', () => {
    const services = readdirSync(UNIT_DIR).filter((f) => f.endsWith('.service') && f !== 'docker-prune.service');
    assert.deepEqual(services.sort(), ['marathon.service', 'mesos-master.service', 'mesos-slave.service', 'opa-docker-authz.service', 'zookeeper.service']);
    for (const name of services) {
      const unit = readFileSync(join(UNIT_DIR, name), 'utf8');
      assert.match(unit, /^Restart=always$/m, name);
      assert.match(unit, /^StartLimitIntervalSec=0$/m, name);
      assert.match(unit, /^LimitNOFILE=65536$/m, name);
      assert.match(unit, /^WantedBy=multi-user\.target$/m, name);
    }
  });

  it('the agent unit keeps tasks alive across an agent restart and runs the wrapper\'s "agent" spelling', () => {
    const unit = readFileSync(join(UNIT_DIR, 'mesos-slave.service'), 'utf8');
    assert.match(unit, /^ExecStart=\/usr\/bin\/mesos-init-wrapper agent$/m);
    assert.match(unit, /^KillMode=process$/m);
    assert.match(unit, /^Delegate=true$/m);
  });
});
