import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MARATHON_LEADER, MASTER_METRICS } from './readiness-responses';

/** The line a stand-in appends to $STUB_STATE/calls.log: its name and its arguments. */
const record = (name: string) => `printf "%s\\n" "${name} $*" >>"$STUB_STATE/calls.log"`;
/** A function that only records its call. */
const recordOnly = (name: string) => `() { ${record(name)}; }`;
/**
 * A function whose body runs in a subshell of its own, so that its `exit` and its variables stay
 * there, as a script's would. (Bash imports an exported function only in the `() {` form.)
 */
const isolated = (lines: string[]) => `() { (\n${lines.map((line) => `  ${line}\n`).join('')}); }`;

/** 200 GiB: the jenkins-masters volume of clusters/ci-aws.yaml. */
const VOLUME_BYTES = 200 * 1024 ** 3;

/**
 * Stand-ins for the commands configure-node needs root or real hardware for, as bash function
 * definitions. Each records its command line in $STUB_STATE/calls.log; the volume stand-ins keep
 * their state in files. The node sandbox hands them to the boot's scripts as exported functions
 * (test/support/node-applier.ts): a boot calls them about a hundred times, and a function call
 * starts no process, where a script costs a fork and a bash start each (together about a third
 * of a boot's CPU time).
 */
export const STAND_IN_FUNCTIONS: Readonly<Record<string, string>> = {
  systemctl: recordOnly('systemctl'),
  hostnamectl: recordOnly('hostnamectl'),
  hostname: '() { echo debian; }',
  // The metadata service's answers agent-identity asks for (a token, then the `volume` tag), and
  // the readiness probes' answers of a healthy cluster (shapes: test/support/readiness-responses.ts).
  curl: isolated([
    record('curl'),
    'case "$*" in',
    '  *api/token*) echo token ;;',
    '  *tags/instance/Name*) . "$MESOS_CLUSTER_ROOT/etc/mesos-cluster/facts.env"; echo "$CLUSTER_NAME-jenkins-masters-1" ;;',
    `  *"/metrics/snapshot"*) echo '${JSON.stringify(MASTER_METRICS.recovered)}' ;;`,
    `  *"/v2/leader"*) echo '${JSON.stringify(MARATHON_LEADER.elected)}' ;;`,
    'esac',
  ]),
  chown: recordOnly('chown'),
  // The secret store: a value made of the parameter's name, so tests can tell secrets apart.
  aws: isolated([
    record('aws'),
    'while [ $# -gt 0 ]; do [ "$1" = --name ] && name="$2"; shift; done',
    'digest="$(printf %s "$name" | md5sum)"',
    'printf "Stub%s\\n" "${digest:0:24}"',
  ]),
  // OpenStack's: fetch-secrets runs `python3 <barbican-secret> <region> <name> <sources>...`;
  // the same made-up value (test/openstack/secrets-at-boot.test.ts runs the real reader).
  python3: isolated([record('python3'), 'digest="$(printf %s "$3" | md5sum)"', 'printf "Stub%s\\n" "${digest:0:24}"']),
  'cloud-init': isolated(['[ "$*" = "query v1.instance_id" ] && echo i-0123456789abcdef0']),
  ip: isolated([
    'case "$*" in',
    '  "-4 -o route show default") echo "default via 10.20.0.1 dev ens5 proto dhcp src 10.20.64.7 metric 100" ;;',
    '  "-4 -o addr show dev ens5 scope global") echo "2: ens5    inet 10.20.64.7/20 metric 100 brd 10.20.79.255 scope global dynamic ens5" ;;',
    '  *) exit 1 ;;',
    'esac',
  ]),
  // A Nitro instance: nvme0n1 is the partitioned root disk, nvme1n1 the attached data volume.
  lsblk: isolated([
    'case "$1 $2" in',
    `  "-dpnbo NAME,SIZE,TYPE") printf '/dev/nvme0n1 53687091200 disk\\n/dev/nvme1n1 ${VOLUME_BYTES} disk\\n' ;;`,
    '  "-npo NAME") [ "$3" = /dev/nvme0n1 ] && printf "/dev/nvme0n1\\n/dev/nvme0n1p1\\n" || echo "$3" ;;',
    '  "-npo MOUNTPOINT") [ "$3" = /dev/nvme0n1 ] && printf "\\n/\\n" || echo ;;',
    'esac',
  ]),
  blkid: isolated([
    record('blkid'),
    'formatted() { [ -e "$STUB_STATE/formatted" ]; }',
    'case "$*" in',
    '  *"-s TYPE"*) formatted && echo ext4 ;;',
    '  *"-s UUID"*) formatted && echo 0b7c9f4e-2d1a-4c55-9a57-6f1e2b3c4d5e ;;',
    '  *) formatted || exit 2 ;;',
    'esac',
    'exit 0',
  ]),
  'mkfs.ext4': `() { ${record('mkfs.ext4')}; touch "$STUB_STATE/formatted"; }`,
  mountpoint: '() { [ -e "$STUB_STATE/mounted" ]; }',
  mount: `() { ${record('mount')}; touch "$STUB_STATE/mounted"; }`,
};

/** A stand-in as a script of its own, for a caller that is not bash or a test that runs one alone. */
export function standInScript(name: string, definition: string): string {
  return `#!/bin/bash\n${name} ${definition}\n${name} "$@"\n`;
}

/** Every stand-in as a script of its own (standInScript). */
export const COMMAND_STUBS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(STAND_IN_FUNCTIONS).map(([name, definition]) => [name, standInScript(name, definition)]),
);

/** image/provision.sh's own files, as it installs them (the same files, not copies). */
function recipeFiles(): Record<string, [string, number]> {
  const image = join(__dirname, '..', '..', 'image');
  const units = readdirSync(join(image, 'units')).map((name) => [`/usr/local/lib/systemd/system/${name}`, [readFileSync(join(image, 'units', name), 'utf8'), 0o644]]);
  return {
    ...Object.fromEntries(units),
    '/etc/logrotate.d/mesos': [readFileSync(join(image, 'logrotate', 'mesos'), 'utf8'), 0o644],
    '/usr/local/lib/mesos-cluster/check-image': [readFileSync(join(image, '..', 'cloud-init', 'scripts', 'check-image.sh'), 'utf8'), 0o755],
    '/etc/default/grub.d/99-mesos-cluster-cgroups.cfg': ['GRUB_CMDLINE_LINUX="$GRUB_CMDLINE_LINUX systemd.unified_cgroup_hierarchy=0"\n', 0o644],
    '/etc/passwd': ['root:x:0:0::/root:/bin/bash\nzookeeper:x:102:105::/var/lib/zookeeper:/bin/false\nmarathon:x:998:998::/var/lib/marathon:/usr/sbin/nologin\n', 0o644],
  };
}

const STAND_IN = ['#!/bin/sh\n# stand-in\n', 0o755] as [string, number];

/** What the packages put on the base image that configure-node looks at or must override. */
export function BASE_IMAGE_FILES(wrapperVariant: 'agent' | 'slave'): Record<string, [string, number]> {
  return {
    ...recipeFiles(),
    ...Object.fromEntries(
      ['/usr/sbin/mesos-master', '/usr/sbin/mesos-agent', '/usr/libexec/mesos/mesos-logrotate-logger', '/usr/sbin/logrotate', '/usr/bin/java',
        '/usr/lib/jvm/java-8/bin/java', '/usr/bin/curl', '/usr/bin/jq', '/usr/bin/aws', '/usr/sbin/iptables', '/usr/local/bin/opa-docker-authz'].map((path) => [path, STAND_IN]),
    ),
    '/usr/lib/libmesos.so': ['', 0o644],
    '/usr/lib/liblogrotate_container_logger.so': ['', 0o644],
    '/usr/share/java/zookeeper.jar': ['', 0o644],
    '/etc/zookeeper/conf/environment': ['ZOOMAIN=org.apache.zookeeper.server.quorum.QuorumPeerMain\n', 0o644],
    '/lib/systemd/system/docker.service': ['[Service]\nExecStart=/usr/bin/dockerd\n', 0o644],
    // mesos/mesos-packaging's wrapper reads /etc/mesos-agent; Mesosphere's reads /etc/mesos-slave.
    '/usr/bin/mesos-init-wrapper': [`#!/bin/bash\n# stand-in\netc_dir=/etc/mesos-${wrapperVariant}\n`, 0o755],
    '/usr/share/zookeeper/bin/zkCli.sh': ['#!/bin/bash\n# stand-in\nprintf "%s\\n" "zkCli.sh $*" >>"$STUB_STATE/calls.log"\n', 0o755],
    '/usr/share/marathon/bin/marathon': ['#!/bin/sh\n# stand-in\n', 0o755],
    '/usr/bin/docker': ['#!/bin/sh\n# stand-in\n', 0o755],
    '/usr/sbin/nginx': ['#!/bin/sh\n# stand-in\n', 0o755],
    '/usr/sbin/haproxy': ['#!/bin/sh\n# stand-in\n', 0o755],
    '/usr/bin/python3': ['#!/bin/sh\n# stand-in\n', 0o755],
    '/etc/fstab': ['# /etc/fstab: static file system information.\n', 0o644],
    // The mesos package's own defaults (LAYOUT.md 1.1), with `cat /etc/mesos/zk` already
    // evaluated: left in place they would give --log_dir, --zk and --port a second time.
    '/etc/default/mesos': ['LOGS=/var/log/mesos\nULIMIT="-n 8192"\n', 0o644],
    '/etc/default/mesos-master': ['PORT=5050\nZK=zk://localhost:2181/mesos\n', 0o644],
    '/etc/default/mesos-agent': ['MASTER=zk://localhost:2181/mesos\n', 0o644],
    '/etc/mesos/zk': ['zk://localhost:2181/mesos\n', 0o644],
    '/etc/mesos-master/work_dir': ['/var/lib/mesos\n', 0o644],
    '/etc/mesos-master/quorum': ['1\n', 0o644],
    '/etc/default/marathon': ['MARATHON_MESOS_USER=root\n', 0o644],
  };
}
