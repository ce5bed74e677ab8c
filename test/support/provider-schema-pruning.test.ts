import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pruneGrpcBody, pruneProviderSchema } from './provider-schema-pruning';

function varint(value: number): Buffer {
  const bytes: number[] = [];
  while (value >= 0x80) {
    bytes.push((value % 0x80) | 0x80);
    value = Math.floor(value / 0x80);
  }
  bytes.push(value);
  return Buffer.from(bytes);
}

/** A length-delimited field (wire type 2). */
function bytesField(field: number, body: Buffer): Buffer {
  return Buffer.concat([varint(field * 8 + 2), varint(body.length), body]);
}

/** A map entry: the type name as field 1, a (fake) schema as field 2. */
function entry(field: number, name: string, schemaSize = 8): Buffer {
  return bytesField(field, Buffer.concat([bytesField(1, Buffer.from(name)), bytesField(2, Buffer.alloc(schemaSize, 7))]));
}

const provider = bytesField(1, Buffer.from('provider schema'));
const vpc = entry(2, 'aws_vpc', 300); // a length past one varint byte
const bucket = entry(2, 'aws_s3_bucket');
const ami = entry(3, 'aws_ami');
const identity = entry(3, 'aws_caller_identity');
const fn = entry(7, 'arn_parse');
const secrets = entry(8, 'aws_secretsmanager_secret_version');
const capabilities = bytesField(6, Buffer.concat([varint(2 * 8), varint(1)]));
const message = Buffer.concat([provider, vpc, bucket, ami, identity, fn, secrets, capabilities]);

function grpcFrame(compressed: boolean, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header[0] = compressed ? 1 : 0;
  header.writeUInt32BE(body.length, 1);
  return Buffer.concat([header, body]);
}

describe('a provider schema answer cut down to the configured types', () => {
  it('keeps the named resource and data source types, the provider schema, functions and capabilities; drops every other type', () => {
    const pruned = pruneProviderSchema(message, new Set(['aws_vpc', 'aws_caller_identity']));
    assert.deepEqual(pruned, Buffer.concat([provider, vpc, identity, fn, capabilities]));
  });

  it('drops ephemeral resource types not named, keeps one that is', () => {
    assert.deepEqual(pruneProviderSchema(message, new Set()), Buffer.concat([provider, fn, capabilities]));
    assert.deepEqual(pruneProviderSchema(message, new Set(['aws_secretsmanager_secret_version'])), Buffer.concat([provider, fn, secrets, capabilities]));
  });

  it('refuses a message cut short, naming what ran past its end', () => {
    assert.throws(() => pruneProviderSchema(message.subarray(0, provider.length + 10), new Set()), /provider schema: a field runs past the message/);
  });

  it('rewrites the gRPC frame length to the pruned message and leaves a compressed frame as it came', () => {
    const body = pruneGrpcBody(grpcFrame(false, message), new Set(['aws_vpc']));
    const expected = Buffer.concat([provider, vpc, fn, capabilities]);
    assert.deepEqual(body, grpcFrame(false, expected));
    const compressed = grpcFrame(true, Buffer.from('not protobuf'));
    assert.deepEqual(pruneGrpcBody(compressed, new Set()), compressed);
  });
});
