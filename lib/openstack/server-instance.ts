import { Construct } from 'constructs';
import { escapeTerraformTemplate } from '../terraform/escape';
import { SERVER_IGNORE_AFTER_CREATION } from './drift-guard';
import { ComputeInstanceV2, ComputeInstanceV2Config } from './generated/providers/openstack/compute-instance-v2';

export interface ServerInstanceProps {
  /** Server name in Nova. */
  readonly name: string;
  readonly imageId: string;
  readonly flavor: string;
  readonly availabilityZone: string;
  /** The port the server is plugged into (it carries the address and security groups). */
  readonly portId: string;
  readonly keyPair: string;
  /** The cloud-config document, plain text. */
  readonly userData: string;
  readonly rootVolumeGiB: number;
  /** @default - the cloud's default volume type */
  readonly volumeType?: string;
  readonly metadata: Record<string, string>;
  /** @default - no server group */
  readonly serverGroupId?: string;
  /** Extra meta-arguments, e.g. `forEach`. @default - none */
  readonly meta?: Pick<ComputeInstanceV2Config, 'forEach'>;
}

/**
 * Every server the same way: a root volume from the one image, sized per role; user-data from
 * the config drive (no metadata service needed); no replacement or resize when the image, the
 * flavor or the user-data changes.
 */
export function serverInstance(scope: Construct, id: string, props: ServerInstanceProps): ComputeInstanceV2 {
  return new ComputeInstanceV2(scope, id, {
    ...props.meta,
    name: props.name,
    flavorName: props.flavor,
    availabilityZone: props.availabilityZone,
    keyPair: props.keyPair,
    configDrive: true,
    // Terraform would read shell ${...} as interpolation: escaped, it arrives verbatim.
    userData: escapeTerraformTemplate(props.userData),
    metadata: props.metadata,
    network: [{ port: props.portId }],
    blockDevice: [
      {
        uuid: props.imageId,
        sourceType: 'image',
        destinationType: 'volume',
        volumeSize: props.rootVolumeGiB,
        volumeType: props.volumeType,
        bootIndex: 0,
        deleteOnTermination: true,
      },
    ],
    schedulerHints: props.serverGroupId === undefined ? undefined : [{ group: props.serverGroupId }],
    // The agent's data volume must be unmounted cleanly before the server goes.
    stopBeforeDestroy: true,
    lifecycle: { ignoreChanges: [...SERVER_IGNORE_AFTER_CREATION] },
  });
}
