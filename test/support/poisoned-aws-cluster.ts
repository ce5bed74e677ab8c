import { ResolvedCluster } from '../../lib/model';
import { exampleCluster } from './aws-synth';

/**
 * The second line of defence (test/aws/hostile-strings.test.ts, and its plan in
 * test/aws/terraform-offline.test.ts): a cluster whose strings got past validation (built here without
 * it) still reaches the plan literally. Each field carries its own file read, so that one that
 * Terraform evaluated would fail the plan (no such file) and one that got lost would be missing.
 */
export function poisonedCluster(): { cluster: ResolvedCluster; markers: string[] } {
  const markers: string[] = [];
  const mark = (value: string) => {
    const marker = `\${file("/nonexistent/m${markers.length}")}%{ if true }`;
    markers.push(`${value}${marker}`);
    return `${value}${marker}`;
  };
  const base = exampleCluster();
  const cluster: ResolvedCluster = {
    ...base,
    image: mark(base.image),
    sshKey: { name: mark(base.sshKey.name), publicKey: mark('ssh-ed25519 AAAA') },
    zookeeper: { ...base.zookeeper, size: mark(base.zookeeper.size) },
    masters: { ...base.masters, size: mark(base.masters.size) },
    marathon: { ...base.marathon, size: mark(base.marathon.size) },
    bastion: { ...base.bastion, size: mark(base.bastion.size) },
    pools: base.pools.map((pool) => ({
      ...pool,
      size: mark(pool.size),
      mesosRole: mark(pool.mesosRole),
      attributes: { ...pool.attributes, rack: mark('r') },
      volume: pool.volume && { ...pool.volume, mountPath: mark(pool.volume.mountPath) },
    })),
    tags: { ...base.tags, [mark('key')]: mark('value') },
    aws: { ...base.aws, region: base.aws.region, rootDeviceName: mark(base.aws.rootDeviceName), certificateArn: mark(base.aws.certificateArn) },
  };
  return { cluster, markers };
}
