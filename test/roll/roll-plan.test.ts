/**
 * The roll's step planner on the shipped examples' synthesized stacks, with states made from a
 * synthesis of the same file (what Terraform would hold after applying it): which servers differ,
 * their order (followers before leaders, quorums before pools), --role, resumability, targets.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { buildTopology } from '../../lib/model';
import { planRoll, rollRoles } from '../../lib/roll/roll-plan';
import { planLines } from '../../lib/roll/plan-lines';
import { RollStep } from '../../lib/roll/roll-types';
import { ignoredDrift, rollableServers, StackResources } from '../../lib/roll/stack-servers';
import { StateValues } from '../../lib/roll/state-drift';
import { exampleCluster, synthAws } from '../support/aws-synth';
import { exampleOpenstackCluster, synthOpenstack } from '../support/openstack-synth';

const OLD_IMAGE = 'ami-0123456789abcdef0';
const NEW_IMAGE = 'ami-0fedcba9876543210';

const applied = synthAws(exampleCluster());
const topology = buildTopology(exampleCluster({ image: NEW_IMAGE }));
const changed = synthAws(exampleCluster({ image: NEW_IMAGE })).json.resource;

/** The state Terraform holds after applying `resources`: each server's ignored arguments as configured. */
function stateOf(resources: StackResources, overrides: Record<string, Record<string, unknown>> = {}): StateValues {
  const servers = rollableServers(buildTopology(exampleCluster()), resources);
  return new Map(servers.map((s) => [s.address, { ...ignoredDrift(s.address, s.desired), ...overrides[s.name] }]));
}

const names = (steps: readonly RollStep[]) => steps.map((s) => (s.kind === 'replace' ? s.server.name : `refresh:${s.group.role}`));

describe('roll planner', () => {
  it('without state it lists every server it would consider, in roll order, and says so', () => {
    const plan = planRoll({ topology, resources: changed });
    assert.deepEqual(names(plan.steps), [
      'zookeeper-1', 'zookeeper-2', 'zookeeper-3',
      'master-1', 'master-2', 'master-3',
      'marathon-1', 'marathon-2', 'marathon-3',
      'jenkins-masters-1', 'jenkins-masters-2', 'jenkins-masters-3',
      'refresh:builds', 'refresh:edge', 'bastion',
    ]);
    assert.match(plan.notes.join('\n'), /no Terraform state found/);
    assert.match(plan.notes.join('\n'), /leaders unknown/);
  });

  it('with state and a new image it replaces the differing servers, followers before leaders', () => {
    const plan = planRoll({ topology, resources: changed, state: stateOf(applied.json.resource), leaders: { zookeeper: 'zookeeper-2', mesos: 'master-1', marathon: 'marathon-3' } });
    assert.deepEqual(names(plan.steps).slice(0, 9), ['zookeeper-1', 'zookeeper-3', 'zookeeper-2', 'master-2', 'master-3', 'master-1', 'marathon-1', 'marathon-2', 'marathon-3']);
    const zookeeper2 = plan.steps[2];
    assert.ok(zookeeper2.kind === 'replace' && zookeeper2.leader);
    assert.deepEqual(zookeeper2.kind === 'replace' && zookeeper2.reasons, [`ami ${OLD_IMAGE} -> ${NEW_IMAGE}`]);
    assert.doesNotMatch(plan.notes.join('\n'), /no Terraform state|leaders unknown/);
  });

  it('agents of a volume pool are drained first and targeted with their attachment and alarms; Marathon with its load balancer attachment', () => {
    const plan = planRoll({ topology, resources: changed, state: stateOf(applied.json.resource) });
    const step = (name: string) => plan.steps.find((s) => s.kind === 'replace' && s.server.name === name);
    const agent = step('jenkins-masters-2');
    assert.ok(agent?.kind === 'replace');
    assert.equal(agent.server.agent, true);
    assert.equal(agent.server.address, 'aws_instance.pool-jenkins-masters_instance["jenkins-masters-2"]');
    assert.ok(agent.server.targets.includes('aws_volume_attachment.pool-jenkins-masters_data-attachment["jenkins-masters-2"]'));
    assert.ok(agent.server.targets.every((t) => !t.includes('jenkins-masters-1') && !t.includes('jenkins-masters-3')), agent.server.targets.join(' '));
    const marathon = step('marathon-1');
    assert.ok(marathon?.kind === 'replace');
    assert.deepEqual(marathon.server.targets, ['aws_instance.marathon-1_instance', 'aws_lb_target_group_attachment.ui_marathon-marathon-1']);
    assert.equal(marathon.server.agent, false);
  });

  it('is resumable: servers already on the new image are skipped and counted as current', () => {
    const state = stateOf(applied.json.resource, { 'zookeeper-1': { ami: NEW_IMAGE }, 'zookeeper-3': { ami: NEW_IMAGE } });
    const plan = planRoll({ topology, resources: changed, state, role: 'zookeeper' });
    assert.deepEqual(names(plan.steps), ['zookeeper-2']);
    assert.deepEqual(plan.current, ['zookeeper-1', 'zookeeper-3']);
  });

  it('a state matching the stack has no server to replace (size and user data compared too)', () => {
    const plan = planRoll({ topology: buildTopology(exampleCluster()), resources: applied.json.resource, state: stateOf(applied.json.resource), role: 'masters' });
    assert.deepEqual(plan.steps, []);
    assert.match(planLines(plan).join('\n'), /nothing to roll: 3 server\(s\) already match/);
    const resized = planRoll({ topology, resources: applied.json.resource, state: stateOf(applied.json.resource, { 'master-2': { instance_type: 'm5.xlarge' }, 'master-3': { user_data_base64: 'H4sIold' } }), role: 'masters' });
    assert.deepEqual(names(resized.steps), ['master-2', 'master-3']);
    assert.deepEqual(resized.steps.map((s) => s.kind === 'replace' && s.reasons), [['instance_type m5.xlarge -> m5.large'], ['user_data_base64 changed']]);
  });

  it('--role keeps one role; the roles offered are the stack\'s, in roll order', () => {
    assert.deepEqual(rollRoles({ topology, resources: changed }), ['zookeeper', 'masters', 'marathon', 'jenkins-masters', 'builds', 'edge', 'bastion']);
    assert.deepEqual(names(planRoll({ topology, resources: changed, role: 'builds' }).steps), ['refresh:builds']);
    assert.deepEqual(names(planRoll({ topology, resources: changed, role: 'marathon' }).steps), ['marathon-1', 'marathon-2', 'marathon-3']);
  });

  it('--plan prints one line per step after its notes', () => {
    const plan = planRoll({ topology, resources: changed, role: 'jenkins-masters', state: stateOf(applied.json.resource) });
    const lines = planLines(plan);
    assert.equal(lines.length, 3);
    assert.match(lines[0], /^1\. jenkins-masters-1: drain, then replace aws_instance\.pool-jenkins-masters_instance\["jenkins-masters-1"\] with .*- ami /);
  });

  it('OpenStack: plain pool agents are replaced one at a time, drained, and the image is read through the image data source in the state', () => {
    const cluster = exampleOpenstackCluster();
    const resources = synthOpenstack(cluster).resource as StackResources;
    const osTopology = buildTopology(cluster);
    const servers = rollableServers(osTopology, resources);
    const state: StateValues = new Map<string, Record<string, any>>([
      ['data.openstack_images_image_v2.image', { id: 'image-new' }],
      ...servers.map((s): [string, Record<string, any>] => [
        s.address,
        {
          block_device: [{ uuid: s.name === 'builds-4' ? 'image-old' : 'image-new' }],
          flavor_name: s.desired.flavor_name,
          // The OpenStack provider may keep a SHA-1 of the user data instead of the text: both count as equal.
          user_data: s.name === 'builds-1' ? createHash('sha1').update(s.desired.user_data).digest('hex') : s.desired.user_data,
        },
      ]),
    ]);
    const plan = planRoll({ topology: osTopology, resources, state });
    assert.deepEqual(names(plan.steps), ['builds-4']);
    const step = plan.steps[0];
    assert.ok(step.kind === 'replace' && step.server.agent);
    assert.deepEqual(step.kind === 'replace' && step.reasons, ['image image-old -> image-new']);
    assert.ok(rollRoles({ topology: osTopology, resources }).includes('edge'));
  });
});
