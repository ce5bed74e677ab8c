import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fixture, getAgentsEntry, masterFrameworksBody, masterFrameworksEntry, masterSlavesEntry, StandInAgent, StandInFramework } from './reference-shaped-mesos';

const reference = JSON.parse(readFileSync(join(__dirname, '..', '..', 'reference', 'mesos', 'operator-api.json'), 'utf8'));
const marathon = JSON.parse(readFileSync(join(__dirname, '..', '..', 'reference', 'marathon-api', 'endpoints.json'), 'utf8'));
const fieldsOf = (message: string) => Object.keys(reference.messages[message].fields);
const unknown = (object: object, known: string[]) => Object.keys(object).filter((k) => !known.includes(k));

const drained: StandInAgent = { id: 'a-S1', hostname: '10.20.64.11', pool: 'builds', drain: { state: 'DRAINED', markGone: false, maxGraceSeconds: 120 } };

describe('reference-shaped Mesos and Marathon responses (hand-written fixtures) carry only fields the reference lists', () => {
  it('GET_AGENTS entries: the agent, its agent_info, attributes and drain_info', () => {
    const entry = getAgentsEntry(drained);
    assert.deepEqual(unknown(entry, Object.keys(reference.v1_operator_api.calls.GET_AGENTS.response.fields.agents.item_fields)), []);
    assert.deepEqual(unknown(entry.agent_info, fieldsOf('mesos.v1.AgentInfo')), []);
    for (const attribute of entry.agent_info.attributes) assert.deepEqual(unknown(attribute, fieldsOf('mesos.v1.Attribute')), []);
    assert.deepEqual(unknown(entry.drain_info, fieldsOf('mesos.v1.DrainInfo')), []);
    assert.deepEqual(unknown(entry.drain_info.config, fieldsOf('mesos.v1.DrainConfig')), []);
    assert.ok(Object.keys(reference.enums['mesos.v1.DrainState'].values).includes(entry.drain_info.state));
  });

  it('/master/slaves entries and /metrics/snapshot keys', () => {
    assert.deepEqual(unknown(masterSlavesEntry(drained), Object.keys(reference.master_state_json.slave_object)), []);
    assert.deepEqual(unknown(fixture('metrics-snapshot.json'), Object.keys(reference.metrics_snapshot.readiness_keys)), []);
  });

  it('/master/frameworks entries, registered and removed', () => {
    const known = Object.keys(reference.master_frameworks_json.framework_object);
    const samples: StandInFramework[] = [
      { id: 'f-1', name: 'jenkins-a', state: 'DISCONNECTED', principal: null },
      { id: 'f-2', name: 'jenkins-b', state: 'RECOVERED' },
      { id: 'f-3', name: 'jenkins-c', removedSeconds: 1764620000 },
    ];
    for (const sample of samples) assert.deepEqual(unknown(masterFrameworksEntry(sample), known), []);
    assert.deepEqual(unknown(masterFrameworksBody(samples.slice(0, 2), samples.slice(2)), Object.keys(reference.master_frameworks_json.fields)), []);
  });

  it('Marathon /v2/leader: LeaderInfo when there is a leader, a Message body (404) when not', () => {
    const leader = marathon.endpoints.find((e: any) => e.path === '/v2/leader' && e.method === 'GET');
    assert.deepEqual(Object.keys(leader.responses).sort(), ['200', '404']);
    const read = (name: string) => JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'marathon', name), 'utf8'));
    assert.deepEqual(Object.keys(read('leader.json')), Object.keys(marathon.types.LeaderInfo.fields));
    assert.deepEqual(Object.keys(read('no-leader.json')), ['message']);
  });
});
