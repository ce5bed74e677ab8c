import { Fn, MapTerraformIterator, TerraformIterator, TerraformLocal } from 'cdktf';
import { Construct } from 'constructs';
import { roundRobinMap } from '../terraform/round-robin-map';
import { ComputeInstanceV2 } from './generated/providers/openstack/compute-instance-v2';
import { NetworkingPortV2 } from './generated/providers/openstack/networking-port-v2';
import { serverInstance } from './server-instance';

/** Where a set of like servers runs and what it boots: the props an agent pool and the edge share. */
export interface NamedServersPlacement {
  readonly networkId: string;
  /** Subnet ids by zone name, in the order of `network.zones` (servers are placed round-robin). */
  readonly subnetIds: ReadonlyMap<string, string>;
  readonly securityGroupIds: string[];
  readonly imageId: string;
  readonly keyPair: string;
  /** The one cloud-config document of every server of the set, plain text. */
  readonly userData: string;
}

export interface NamedServersProps extends NamedServersPlacement {
  /** Servers are named `<prefix>-1` .. `<prefix>-<count>`. */
  readonly prefix: string;
  readonly count: number;
  /** More columns per zone, beside `zone` and `subnet_id` (e.g. a Cinder zone). @default none */
  readonly zoneColumns?: Readonly<Record<string, readonly string[]>>;
  /** The servers' names in Nova and of their ports, from each server's name. */
  readonly serverName: (name: string) => string;
  readonly portDescription: string;
  readonly flavor: string;
  readonly rootVolumeGiB: number;
  /** @default - the cloud's default volume type */
  readonly volumeType?: string;
  /** Server metadata, from each server's name. */
  readonly metadata: (name: string) => Record<string, string>;
  /** @default - no server group */
  readonly serverGroupId?: string;
}

export interface NamedServers {
  /** Iterates name -> { zone, subnet_id, ... }: `key` is the server's name. */
  readonly servers: MapTerraformIterator;
  readonly ports: NetworkingPortV2;
  readonly instances: ComputeInstanceV2;
}

/**
 * Servers that share one document, each on a port of its own: a local `localId` mapping their
 * names to zone and subnet, and ONE port block (`port`) and ONE server block (`instance`) in
 * `scope` iterated (`for_each`) over it, so the configuration stays the same size at any count
 * and every server is addressed by name (`...["builds-3"]`). The port is not part of the server:
 * Neutron gives it an address once, and a replaced server plugs into the same port.
 */
export function namedServers(scope: Construct, localId: string, props: NamedServersProps): NamedServers {
  const zones = [...props.subnetIds.keys()];
  const byName = new TerraformLocal(
    scope,
    localId,
    roundRobinMap(props.prefix, props.count, { zone: zones, ...props.zoneColumns, subnet_id: zones.map((zone) => props.subnetIds.get(zone)!) }),
  );
  const servers = TerraformIterator.fromMap(byName.asAnyMap);
  const name = props.serverName(servers.key);
  const ports = new NetworkingPortV2(scope, 'port', {
    forEach: servers,
    name,
    networkId: props.networkId,
    fixedIp: [{ subnetId: servers.getString('subnet_id') }],
    securityGroupIds: props.securityGroupIds,
    adminStateUp: true,
    description: props.portDescription,
  });
  const instances = serverInstance(scope, 'instance', {
    meta: { forEach: servers },
    name,
    imageId: props.imageId,
    flavor: props.flavor,
    availabilityZone: servers.getString('zone'),
    portId: Fn.lookupNested(ports, [servers.key, 'id']),
    keyPair: props.keyPair,
    userData: props.userData,
    rootVolumeGiB: props.rootVolumeGiB,
    volumeType: props.volumeType,
    metadata: props.metadata(servers.key),
    serverGroupId: props.serverGroupId,
  });
  return { servers, ports, instances };
}
