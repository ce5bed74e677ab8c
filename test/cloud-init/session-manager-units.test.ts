import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderAllUserData } from '../../lib/cloud-init';
import { NODE } from '../../lib/cloud-init/layout';
import { buildTopology } from '../../lib/model';
import { exampleCluster } from '../support/aws-synth';
import { fileAt, parseCloudConfig } from '../support/cloud-init-fixtures';

/** Each document's configure-node steps, one command per entry (continued lines joined). */
function steps(text: string): string[][] {
  const script = fileAt(parseCloudConfig(text), `${NODE.scriptDir}/configure-node`)!.content.replace(/ \\\n\s*/g, ' ');
  return script
    .split('\n')
    .filter((line) => line.startsWith('"${lib}/'))
    .map((line) => line.split(' ').map((word) => word.replace(/^"\$\{lib\}\/|"$/g, '').replace(/'/g, '')));
}

function activation(text: string): { enable: string[]; mask: string[] } {
  const words = steps(text).find((s) => s[0] === 'activate-units')!;
  const at = words.indexOf('--mask');
  return { enable: words.slice(2, at), mask: words.slice(at + 1) };
}

const checkImage = (text: string) => steps(text).find((s) => s[0] === 'check-image');

describe('amazon-ssm-agent in the user data: enabled only with aws.sessionManager', () => {
  it('off (the default): every node masks it, and no check-image asks for it', () => {
    const documents = renderAllUserData(buildTopology(exampleCluster()));
    assert.ok(documents.length >= 8);
    for (const document of documents) {
      const units = activation(document.text);
      assert.ok(units.mask.includes('amazon-ssm-agent'), document.name);
      assert.ok(!units.enable.includes('amazon-ssm-agent'), document.name);
      assert.ok(!(checkImage(document.text) ?? []).includes('session-manager'), document.name);
    }
    assert.equal(checkImage(documents.find((d) => d.name === 'bastion')!.text), undefined, 'the bastion checks nothing of the image');
  });

  it('on: every node, the bastion and the edge too, enables it after check-image has made sure the image has it', () => {
    const documents = renderAllUserData(buildTopology(exampleCluster({ aws: { sessionManager: true } })));
    assert.deepEqual(['bastion', 'edge', 'pool', 'server'].filter((kind) => documents.some((d) => d.kind === kind)), ['bastion', 'edge', 'pool', 'server']);
    for (const document of documents) {
      const units = activation(document.text);
      assert.ok(units.enable.includes('amazon-ssm-agent'), document.name);
      assert.ok(!units.mask.includes('amazon-ssm-agent'), document.name);
      const all = steps(document.text).map((s) => s[0]);
      assert.ok(all.indexOf('check-image') < all.indexOf('activate-units'), document.name);
      assert.ok(checkImage(document.text)!.includes('session-manager'), document.name);
    }
  });

  it('on: every other unit a node enables stays as it was without Session Manager', () => {
    const off = renderAllUserData(buildTopology(exampleCluster()));
    const on = renderAllUserData(buildTopology(exampleCluster({ aws: { sessionManager: true } })));
    for (const [i, document] of on.entries()) {
      assert.deepEqual(activation(document.text).enable.filter((u) => u !== 'amazon-ssm-agent'), activation(off[i].text).enable, document.name);
    }
  });
});
