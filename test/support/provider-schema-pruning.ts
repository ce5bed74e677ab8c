/**
 * A provider's schema answer cut down to the types a test's configuration uses, at the protobuf
 * wire level. Terraform decodes and checks the schema of every type the provider has at each
 * command that loads the provider (the AWS provider: ~1,600 types, 4.9 MB): about 2 CPU-s of
 * Terraform's own per command, whatever the stack's size (docs/test-lanes.md).
 *
 * The answer is `GetProviderSchema.Response` of the plugin protocol (hashicorp/terraform
 * docs/plugin-protocol/tfplugin5.8.proto and tfplugin6.8.proto, the same field numbers; recorded in
 * reference/terraform/PLUGIN-PROTOCOL-SCHEMA.md): resource, data source and ephemeral resource
 * schemas are maps, each entry a length-delimited message whose field 1 is the type's name.
 * Everything else (the provider's own schema, functions, capabilities, diagnostics) is kept.
 */

/** The gRPC methods that answer with a provider's whole schema (plugin protocol 5, 6). */
export const SCHEMA_METHODS: readonly string[] = ['/tfplugin5.Provider/GetSchema', '/tfplugin6.Provider/GetProviderSchema'];

/** `resource_schemas`, `data_source_schemas`, `ephemeral_resource_schemas`: maps keyed by type name. */
const TYPE_MAPS = new Set([2, 3, 8]);

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_BYTES = 2;
const WIRE_FIXED32 = 5;

function readVarint(buffer: Buffer, at: number): { value: number; next: number } {
  let value = 0;
  let scale = 1;
  for (;;) {
    if (at >= buffer.length) throw new Error('provider schema: a varint runs past the message');
    const byte = buffer[at++];
    value += (byte & 0x7f) * scale;
    if ((byte & 0x80) === 0) return { value, next: at };
    scale *= 128;
  }
}

/** Each top-level field of a message: its number, where it starts, where its value starts and where it ends. */
function* fields(message: Buffer): Generator<{ field: number; start: number; body: number; end: number }> {
  let at = 0;
  while (at < message.length) {
    const start = at;
    const key = readVarint(message, at);
    const wire = key.value % 8;
    let body = key.next;
    let end: number;
    if (wire === WIRE_VARINT) end = readVarint(message, body).next;
    else if (wire === WIRE_FIXED64) end = body + 8;
    else if (wire === WIRE_FIXED32) end = body + 4;
    else if (wire === WIRE_BYTES) {
      const length = readVarint(message, body);
      body = length.next;
      end = body + length.value;
    } else throw new Error(`provider schema: wire type ${wire} is not one this reader knows`);
    if (end > message.length) throw new Error('provider schema: a field runs past the message');
    yield { field: Math.floor(key.value / 8), start, body, end };
    at = end;
  }
}

/** The type name of a map entry (its field 1), or undefined. */
function entryName(entry: Buffer): string | undefined {
  for (const { field, body, end } of fields(entry)) if (field === 1) return entry.toString('utf8', body, end);
  return undefined;
}

/** The schema answer with only the resource, data source and ephemeral types named in `keep`. */
export function pruneProviderSchema(message: Buffer, keep: ReadonlySet<string>): Buffer {
  const kept: Buffer[] = [];
  for (const { field, start, body, end } of fields(message)) {
    if (TYPE_MAPS.has(field) && !keep.has(entryName(message.subarray(body, end)) ?? '')) continue;
    kept.push(message.subarray(start, end));
  }
  return Buffer.concat(kept);
}

/**
 * A gRPC body (messages framed as a compression flag byte and a 4-byte length) with each
 * message pruned; a compressed message is left as it is.
 */
export function pruneGrpcBody(body: Buffer, keep: ReadonlySet<string>): Buffer {
  const frames: Buffer[] = [];
  let at = 0;
  while (at < body.length) {
    if (at + 5 > body.length) throw new Error('provider schema: a gRPC frame header runs past the body');
    const compressed = body[at] !== 0;
    const length = body.readUInt32BE(at + 1);
    const message = body.subarray(at + 5, at + 5 + length);
    if (message.length !== length) throw new Error('provider schema: a gRPC frame runs past the body');
    const pruned = compressed ? message : pruneProviderSchema(message, keep);
    const header = Buffer.alloc(5);
    header[0] = body[at];
    header.writeUInt32BE(pruned.length, 1);
    frames.push(header, pruned);
    at += 5 + length;
  }
  return Buffer.concat(frames);
}
