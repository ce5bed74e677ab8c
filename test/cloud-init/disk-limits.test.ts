import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MESOS, NODE } from '../../lib/cloud-init/layout';
import { allFixtureDocuments, fileAt, parseCloudConfig, REPO } from '../support/cloud-init-fixtures';

const agents = () => allFixtureDocuments().filter((d) => d.role === 'mesos-agent');

/** The words after `activate-units` in a document's configure-node script. */
function activateUnits(text: string): { enable: string[]; mask: string[] } {
  const script = fileAt(parseCloudConfig(text), `${NODE.scriptDir}/configure-node`)!.content.replace(/ \\\n\s*/g, ' ');
  const words = /activate-units'?"? (.*)$/m.exec(script)![1].split(' ').map((w) => w.replace(/'/g, ''));
  const at = words.indexOf('--mask');
  return { enable: words.slice(1, at), mask: words.slice(at + 1) };
}

describe('disks that do not fill', () => {
  it('every agent rotates sandbox logs with the logrotate container logger it loads', () => {
    for (const document of agents()) {
      const config = parseCloudConfig(document.text);
      const flag = (name: string) => fileAt(config, `${MESOS.agentFlagDir}/${name}`)?.content.trim();
      assert.equal(flag('container_logger'), MESOS.containerLoggerModule, document.id);
      const modules = JSON.parse(flag('modules')!) as { libraries: { file: string; modules: { name: string; parameters: { key: string; value: string }[] }[] }[] };
      assert.equal(modules.libraries.length, 1);
      const [library] = modules.libraries;
      assert.equal(library.file, MESOS.containerLoggerLibrary);
      assert.deepEqual(library.modules.map((m) => m.name), [MESOS.containerLoggerModule], 'the module --container_logger names is the one loaded');
      const parameters = Object.fromEntries(library.modules[0].parameters.map((p) => [p.key, p.value]));
      assert.equal(parameters.launcher_dir, MESOS.launcherDir);
      for (const stream of ['stdout', 'stderr']) {
        // Bytes as Mesos parses them, at least a memory page (lib_logrotate.hpp validateSize).
        const size = /^(\d+)(KB|MB)$/.exec(parameters[`max_${stream}_size`]);
        assert.ok(size && Number(size[1]) * (size[2] === 'MB' ? 1024 : 1) >= 4, `max_${stream}_size`);
        assert.match(parameters[`logrotate_${stream}_options`], /^rotate \d+$/);
      }
    }
  });

  it('images are pruned exactly where Docker runs: the timer is wanted by docker.service, enabled on Docker pools only', () => {
    const timer = readFileSync(join(REPO, 'image/units/docker-prune.timer'), 'utf8');
    assert.match(timer, /^WantedBy=docker\.service$/m);
    assert.match(timer, /^PartOf=docker\.service$/m);
    const documents = allFixtureDocuments().filter((d) => d.role !== 'bastion');
    assert.ok(activateUnits(documents.find((d) => d.id === 'ci-aws/builds')!.text).enable.includes('docker'));
    for (const document of documents) {
      const units = activateUnits(document.text);
      const dockerPool = document.role === 'mesos-agent' && fileAt(parseCloudConfig(document.text), `${MESOS.agentFlagDir}/docker_socket`) !== undefined;
      assert.equal(units.enable.includes('docker'), dockerPool, document.id);
      assert.equal(units.mask.includes('docker'), !dockerPool, document.id);
    }
  });
});
