/**
 * The launcher's saved state (lib/emulator/launch-moto.py): what one moto saves, another starts
 * with, including what pickle cannot take as it is (ACM's and KMS's keys), and the launcher's
 * correction still holds for instances that came from the file.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ec2Action } from '../../lib/emulator/moto-inventory';
import { motoAuthorization } from '../../lib/emulator/moto-query';
import { motoUnavailable, StartedMoto, startMoto } from '../../lib/emulator/moto-server';
import { assertToolAvailable, gateOn } from '../support/tool-gate';

const missing = motoUnavailable();
const IMAGE = 'ami-0ed094fb1304fd857';
const FIXED_IP = '10.30.1.10';

/** A JSON-protocol call (KMS, ACM): `target` is `<service prefix>.<operation>`. */
async function jsonCall(endpoint: string, service: string, target: string, body: object): Promise<any> {
  const headers = { authorization: motoAuthorization(service), 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target };
  const response = await fetch(endpoint, { method: 'POST', headers, body: JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${target}: ${response.status} ${text}`);
  return JSON.parse(text);
}

/** Every `<tag>value</tag>` in an EC2 answer. */
const all = (xml: string, tag: string) => [...xml.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))].map((m) => m[1]);

/** One instance at the fixed address. */
const launch = (subnet: string) => ({ ImageId: IMAGE, MinCount: '1', MaxCount: '1', SubnetId: subnet, PrivateIpAddress: FIXED_IP });

describe('moto state saved by one launcher and loaded by another', gateOn(missing), () => {
  const dir = mkdtempSync(join(tmpdir(), 'mesos-cluster-moto-saved-'));
  const file = join(dir, 'moto.pickle');
  const servers: StartedMoto[] = [];
  let saved: { subnet: string; instance: string; key: string; certificate: string };
  let loaded: StartedMoto;

  before(async () => {
    assertToolAvailable(missing);
    const first = await startMoto();
    servers.push(first);
    const vpc = all(await ec2Action(first.endpoint, 'CreateVpc', { CidrBlock: '10.30.0.0/16' }), 'vpcId')[0];
    const subnet = all(await ec2Action(first.endpoint, 'CreateSubnet', { VpcId: vpc, CidrBlock: '10.30.1.0/24' }), 'subnetId')[0];
    const instance = all(await ec2Action(first.endpoint, 'RunInstances', launch(subnet)), 'instanceId')[0];
    const key = (await jsonCall(first.endpoint, 'kms', 'TrentService.CreateKey', {})).KeyMetadata.KeyId;
    const certificate = (await jsonCall(first.endpoint, 'acm', 'CertificateManager.RequestCertificate', { DomainName: 'ui.moto.test', ValidationMethod: 'DNS' })).CertificateArn;
    saved = { subnet, instance, key, certificate };
    await first.save(file);
    await first.stop();
    loaded = await startMoto({ load: file });
    servers.push(loaded);
  });

  after(async () => {
    for (const server of servers) await server.stop();
  });

  it('the loaded server holds the instance, the KMS key and the ACM certificate the first one made', async () => {
    const instances = await ec2Action(loaded.endpoint, 'DescribeInstances');
    assert.deepEqual(all(instances, 'instanceId'), [saved.instance]);
    assert.ok(all(instances, 'privateIpAddress').includes(FIXED_IP));
    assert.equal((await jsonCall(loaded.endpoint, 'kms', 'TrentService.DescribeKey', { KeyId: saved.key })).KeyMetadata.KeyId, saved.key);
    const certificate = await jsonCall(loaded.endpoint, 'acm', 'CertificateManager.DescribeCertificate', { CertificateArn: saved.certificate });
    assert.equal(certificate.Certificate.DomainName, 'ui.moto.test');
  });

  it("the launcher's correction holds for a loaded instance: terminated, its address is free for a new launch", async () => {
    await ec2Action(loaded.endpoint, 'TerminateInstances', { 'InstanceId.1': saved.instance });
    const again = all(await ec2Action(loaded.endpoint, 'RunInstances', launch(saved.subnet)), 'instanceId');
    assert.equal(again.length, 1);
    assert.notEqual(again[0], saved.instance);
  });

  it('a save that cannot be written is refused with the reason, and the server keeps serving', async () => {
    await assert.rejects(loaded.save(join(dir, 'no-such-folder', 'moto.pickle')), /^Error: moto could not save its state to .*no-such-folder.*: failed FileNotFoundError/);
    assert.deepEqual(all(await ec2Action(loaded.endpoint, 'DescribeSubnets', { 'SubnetId.1': saved.subnet }), 'subnetId'), [saved.subnet]);
  });
});
