/**
 * The roll reads its state with `terraform state pull` (lib/roll/terraform-steps.ts): the stored
 * format's instances must come out under the addresses `terraform show -json` gives them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pulledStateValues, stateValues } from '../../lib/roll/state-drift';

/** A stored state (format 4) as Terraform writes it: one resource of each addressing kind, and one in a module. */
const STORED = {
  version: 4,
  terraform_version: '1.11.4',
  resources: [
    { mode: 'managed', type: 'aws_instance', name: 'zookeeper-1_instance', instances: [{ schema_version: 1, attributes: { id: 'i-1', ami: 'ami-1' } }] },
    {
      mode: 'managed',
      type: 'aws_instance',
      name: 'pool-jenkins-masters_instance',
      instances: [
        { index_key: 'jenkins-masters-1', attributes: { id: 'i-2' } },
        { index_key: 'jenkins-masters-2', attributes: { id: 'i-3' } },
      ],
    },
    { mode: 'managed', type: 'aws_subnet', name: 'agents', instances: [{ index_key: 0, attributes: { id: 'subnet-1' } }] },
    { mode: 'data', type: 'aws_ami', name: 'image', instances: [{ attributes: { id: 'ami-9' } }] },
    { module: 'module.other', mode: 'managed', type: 'aws_instance', name: 'elsewhere', instances: [{ attributes: { id: 'i-9' } }] },
  ],
};

/** The same resources as `terraform show -json` lists them (root module only). */
const SHOWN = {
  format_version: '1.0',
  values: {
    root_module: {
      resources: [
        { address: 'aws_instance.zookeeper-1_instance', values: { id: 'i-1', ami: 'ami-1' } },
        { address: 'aws_instance.pool-jenkins-masters_instance["jenkins-masters-1"]', values: { id: 'i-2' } },
        { address: 'aws_instance.pool-jenkins-masters_instance["jenkins-masters-2"]', values: { id: 'i-3' } },
        { address: 'aws_subnet.agents[0]', values: { id: 'subnet-1' } },
        { address: 'data.aws_ami.image', values: { id: 'ami-9' } },
      ],
    },
  },
};

describe('state read for a roll', () => {
  it('a stored state gives the root module instances under the addresses and values show -json gives them', () => {
    assert.deepEqual([...pulledStateValues(STORED)], [...stateValues(SHOWN)]);
  });

  it('no state, or one without resources, gives an empty map', () => {
    assert.equal(pulledStateValues(null).size, 0);
    assert.equal(pulledStateValues({ version: 4, resources: [] }).size, 0);
  });
});
