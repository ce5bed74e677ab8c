import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { exampleCluster, synthAws } from './aws-synth';
import { MOTO_STAND_INS } from '../../lib/emulator/moto-quirks';
import { configuredTypes, emulatorSchemaTypes, schemaTypesFor, synthesizableTypes } from './provider-schema-types';

describe('the types whose schema the pass-through serves', () => {
  it('holds every resource and data source type the example synthesizes, and not the provider itself', () => {
    const { json } = synthAws(exampleCluster());
    const synthesized = [...Object.keys(json.resource), ...Object.keys(json.data ?? {})];
    const served = new Set(synthesizableTypes());
    assert.deepEqual(synthesized.filter((type) => !served.has(type)), []);
    assert.ok(served.has('aws_caller_identity') && served.has('aws_lb'));
    assert.ok(!served.has('aws'));
  });

  it("adds a workspace's own resource and data source types, from every *.tf.json file", () => {
    const dir = mkdtempSync(join(tmpdir(), 'schema-types-'));
    writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify({ resource: { aws_vpc: { a: {} } }, data: { aws_ami: { b: {} } } }));
    writeFileSync(join(dir, 'moto_stand_ins.tf.json'), JSON.stringify({ resource: { aws_acm_certificate: { c: {} } } }));
    writeFileSync(join(dir, 'notes.json'), JSON.stringify({ resource: { aws_sqs_queue: { d: {} } } }));
    assert.deepEqual(configuredTypes(dir), ['aws_acm_certificate', 'aws_ami', 'aws_vpc']);
    const served = schemaTypesFor(dir);
    assert.ok(served.includes('aws_acm_certificate') && served.includes('aws_ami') && served.includes('aws_autoscaling_policy'));
    assert.ok(!served.includes('aws_sqs_queue'));
  });

  it("without a workspace: what lib/ can synthesize and moto's stand-ins", () => {
    const served = emulatorSchemaTypes();
    assert.deepEqual(Object.keys(MOTO_STAND_INS.resource).filter((type) => !served.includes(type)), []);
    assert.deepEqual(synthesizableTypes().filter((type) => !served.includes(type)), []);
  });
});
