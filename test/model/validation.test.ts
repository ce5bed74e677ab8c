import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CloudRules } from '../../lib/model/cloud-rules';
import { ClusterFilesError, listClusterFiles, loadClusterFile, loadClusterFiles, parseClusterFile } from '../../lib/model/load';
import { ClusterFileError, formatProblem } from '../../lib/model/problems';
import { CLOUD_RULES } from '../../lib/cli/cloud-registry';
import { BASE_YAML, FILE, hasProblem, onlyProblem, problemLines, specYaml, valid } from './fixtures';

const pool = (fields: Record<string, unknown>) => ({ pools: { builds: { count: 2, ...fields } } });

describe('validation: the base fixture and the shipped example', () => {
  it('accepts the base fixture', () => assert.deepEqual(problemLines(BASE_YAML), []));
  it('accepts clusters/ci-aws.yaml', () => assert.equal(loadClusterFile(join(__dirname, '../../clusters/ci-aws.yaml'), CLOUD_RULES).name, 'ci-aws'));
});

describe('validation: quorum counts', () => {
  it('rejects an even ZooKeeper or Mesos master count and says odd is needed', () => {
    onlyProblem({ zookeeper: { count: 2 } }, 'zookeeper.count', '2 is even', 'odd count (1, 3, 5, ...)');
    onlyProblem({ masters: { count: 4 } }, 'masters.count', '4 is even', 'odd count');
  });
  it('accepts an even Marathon count (Marathon elects a leader through ZooKeeper)', () => valid({ marathon: { count: 2 } }));
  it('rejects a zero quorum', () => {
    onlyProblem({ zookeeper: { count: 0 } }, 'zookeeper.count', '0', 'must be >= 1');
  });
  it('rejects a negative pool count', () => {
    onlyProblem(pool({ count: -1 }), 'pools.builds.count', '-1', 'must be >= 0');
  });
  it('rejects a fractional count', () => {
    onlyProblem(pool({ count: 2.5 }), 'pools.builds.count', '2.5', 'must be an integer (a whole number)');
    onlyProblem({ masters: { count: 1.5 } }, 'masters.count', '1.5', 'must be an integer');
  });
  it('rejects more quorum servers in one zone than fixed addresses', () => {
    onlyProblem({ zookeeper: { count: 21 } }, 'zookeeper.count', '21 zookeeper servers over 2 zone(s)', 'more than 10 in one zone');
  });
  it('rejects colocate with unequal counts, naming each count', () => {
    onlyProblem({ colocate: true, masters: { count: 5 } }, 'colocate', 'equal', 'zookeeper 3, masters 5, marathon 3');
  });
  it('accepts colocate with equal counts', () => valid({ colocate: true, zookeeper: { count: 5 }, masters: { count: 5 }, marathon: { count: 5 } }));
  it('rejects masters and marathon sizes and root volumes under colocate, pointing to zookeeper', () => {
    for (const key of ['masters', 'marathon']) {
      onlyProblem({ colocate: true, [key]: { size: 'c5.large' } }, `${key}.size`, '"c5.large" would be ignored', 'set zookeeper.size instead');
      onlyProblem({ colocate: true, [key]: { rootVolumeGiB: 40 } }, `${key}.rootVolumeGiB`, '40 would be ignored', 'set zookeeper.rootVolumeGiB instead');
    }
    valid({ colocate: true, zookeeper: { size: 'c5.large', rootVolumeGiB: 40 }, masters: { count: 3 } });
    valid({ masters: { size: 'c5.large', rootVolumeGiB: 40 } });
  });
  it('reports a wrong-typed count under colocate once, as a type error', () => {
    onlyProblem({ colocate: true, masters: { count: '3' } }, 'masters.count', '"3" must be an integer');
  });
});

describe('validation: names', () => {
  it('rejects a cluster name that is not DNS-safe', () => {
    for (const name of ['Test', 'ci_aws', '1ci', 'ci-', '-ci', 'ci.aws']) {
      onlyProblem({ name }, 'name', `"${name}" is not DNS-safe`, "lower-case letters, digits and '-'");
    }
  });
  it('rejects a cluster name longer than 28 characters and accepts 28', () => {
    onlyProblem({ name: 'a'.repeat(29) }, 'name', `"${'a'.repeat(29)}"`, 'use 1-28 lower-case letters');
    valid({ name: 'a'.repeat(28) });
  });
  it('rejects a pool name that is not DNS-safe', () => {
    onlyProblem({ pools: { Big_Builds: { count: 1 } } }, 'pools.Big_Builds', '"Big_Builds" is not DNS-safe', 'use 1-32');
  });
  it('rejects a pool named after a cluster role and lists the reserved names', () => {
    onlyProblem({ pools: { zookeeper: { count: 1 } } }, 'pools.zookeeper', 'pool name "zookeeper" is reserved', 'zookeeper, master, marathon, control, bastion');
    onlyProblem({ pools: { control: { count: 1 } } }, 'pools.control', '"control" is reserved');
  });
});


describe('validation: network', () => {
  it('rejects a string that is not a CIDR', () => {
    onlyProblem({ network: { cidr: 'ten/16' } }, 'network.cidr', '"ten/16" is not a CIDR', 'a.b.c.d/n');
    onlyProblem({ network: { cidr: '10.0.0.300/16' } }, 'network.cidr', '"10.0.0.300/16" is not a CIDR');
    onlyProblem({ network: { cidr: 'fd00::/16' } }, 'network.cidr', '"fd00::/16" is not an IPv4 CIDR');
  });
  it('rejects inet_aton shorthands the cloud would read differently', () => {
    for (const cidr of ['010.0.0.0/16', '10.0/16', '167772160/16', '0x0a.0.0.0/16']) {
      onlyProblem({ network: { cidr } }, 'network.cidr', `"${cidr}" is not a plain a.b.c.d/n CIDR`);
    }
  });
  it('rejects a CIDR with host bits set and suggests the network address', () => {
    onlyProblem({ network: { cidr: '10.0.5.0/16' } }, 'network.cidr', '"10.0.5.0/16" has host bits set', 'did you mean 10.0.0.0/16?');
  });
  it('rejects a network prefix outside /16../20', () => {
    for (const cidr of ['10.0.0.0/8', '10.0.0.0/15', '10.0.0.0/21', '10.0.0.0/24']) {
      onlyProblem({ network: { cidr } }, 'network.cidr', `"${cidr}" must be a /16 to /20 network`);
    }
    for (const cidr of ['10.0.0.0/16', '10.0.0.0/20']) valid({ network: { cidr } });
  });
  it('rejects a network too small for the agents of its fullest zone', () => {
    // A /20 gives each zone a /23 of agents: 512 - 5 reserved = 507; 1015 agents over 2 zones puts 508 in one.
    const line = onlyProblem({ network: { cidr: '10.0.0.0/20' }, ...pool({ count: 1015 }) }, 'network.cidr', '"10.0.0.0/20" is too small');
    assert.match(line, /508 agents in one zone but its agent subnets hold 507/);
    valid({ network: { cidr: '10.0.0.0/20' }, ...pool({ count: 1014 }) });
  });
  it('rejects an invalid admin CIDR, pointing at its index', () => {
    onlyProblem({ network: { adminCidrs: ['198.51.100.0/24', '198.51.100.0/33'] } }, 'network.adminCidrs[1]', '"198.51.100.0/33" is not a CIDR');
  });
  it('rejects 0.0.0.0/0 as an admin CIDR', () => {
    onlyProblem({ network: { adminCidrs: ['0.0.0.0/0'] } }, 'network.adminCidrs[0]', '"0.0.0.0/0" opens', 'whole internet');
  });
  it('rejects zone names that are not lower-case letters, digits and -', () => {
    for (const zone of ['US-EAST-1A', 'us-east-1 a', 'us_east_1a', 'us-east-1${x}']) {
      onlyProblem({ network: { zones: ['us-east-1a', zone] } }, 'network.zones[1]', `zone ${JSON.stringify(zone)} is not valid`, "lower-case letters, digits and '-'");
    }
  });
});

describe('validation: pools', () => {
  it('rejects invalid Mesos role names', () => {
    for (const mesosRole of ['-x', 'a/b', 'a b', '.', '..']) {
      onlyProblem(pool({ mesosRole }), 'pools.builds.mesosRole', `${JSON.stringify(mesosRole)} is not a valid Mesos role`, "use '*'");
    }
  });
  it('rejects Mesos roles with shell metacharacters, saying which characters are allowed', () => {
    for (const mesosRole of ['a;reboot', '$x', '"q"', "'q'", '(a)', 'a|b', '`id`', 'a&b', 'a*', 'é']) {
      onlyProblem(pool({ mesosRole }), 'pools.builds.mesosRole', `${JSON.stringify(mesosRole)} is not a valid Mesos role`, "letters, digits, '_', '.' and '-'", 'shell-sourced');
    }
  });
  it("accepts '*', 'marathon' and names of letters, digits, _ . - as Mesos roles", () => {
    for (const mesosRole of ['*', 'marathon', 'Team_A.prod-1', '.hidden']) valid(pool({ mesosRole }));
  });
  it('accepts text, scalar and range attribute values', () => valid(pool({ attributes: { rack: 'r-1.a/b_c', cpus: 2, weight: 1.5, ports: '[1-5]' } })));
  it('rejects a set attribute value, which aborts the Mesos agent', () => {
    for (const value of ['{a,b}', '{a}']) {
      onlyProblem(pool({ attributes: { disks: value } }), 'pools.builds.attributes.disks', `"${value}" is not a Mesos attribute value`, 'Mesos aborts an agent whose attribute is a set');
    }
  });
  it('rejects attribute values with spaces or Mesos separators', () => {
    for (const value of ['a b', 'x;y', 'k:v', '[1-]', '{a,}']) {
      onlyProblem(pool({ attributes: { rack: value } }), 'pools.builds.attributes.rack', `"${value}" is not a Mesos attribute value`, 'or a range [a-b]');
    }
    onlyProblem(pool({ attributes: { rack: -1 } }), 'pools.builds.attributes.rack', '-1 is not a Mesos attribute value');
  });
  it('rejects numbers whose text form is not a plain decimal, and accepts zero and decimals', () => {
    for (const rack of [1e21, 1e-7]) {
      onlyProblem(pool({ attributes: { rack } }), 'pools.builds.attributes.rack', `${String(rack)} is not a Mesos attribute value`, 'no sign or exponent');
    }
    valid(pool({ attributes: { a: 0, b: 0.25, c: 123456789 } }));
  });
  it('reports a non-finite number once, as a type error', () => {
    onlyProblem(pool({ attributes: { rack: NaN } }), 'pools.builds.attributes.rack', '.nan must be a string or a number');
    onlyProblem(pool({ attributes: { rack: Infinity } }), 'pools.builds.attributes.rack', '.inf must be a string or a number');
  });
  it('rejects attribute names that are not one safe file name, saying why', () => {
    for (const name of ['a/b', '.', '..', '../x']) {
      onlyProblem(pool({ attributes: { [name]: 'v' } }), `pools.builds.attributes.${name}`, `attribute name "${name}" is not valid`, 'file', '/etc/mesos-agent/attributes/');
    }
    valid(pool({ attributes: { 'rack.zone_1-A': 'v', 'x..': 'v' } }));
  });
  it('rejects attribute names starting with a dot, which the agent would never see', () => {
    for (const name of ['.hidden', '..x']) {
      onlyProblem(pool({ attributes: { [name]: 'v' } }), `pools.builds.attributes.${name}`, `attribute name "${name}" is not valid`, "not starting with '.'", 'skips hidden files');
    }
  });
  it('rejects attribute names with spaces or Mesos separators', () => {
    for (const name of ['a b', 'x;y', 'k:v']) {
      onlyProblem(pool({ attributes: { [name]: 'v' } }), `pools.builds.attributes.${name}`, `attribute name "${name}" is not valid`);
    }
  });
  it('rejects a pool attribute that overrides the pool name, and accepts one that repeats it', () => {
    onlyProblem(pool({ attributes: { pool: 'other' } }), 'pools.builds.attributes.pool', '"other" conflicts', "'pool' is always \"builds\"");
    valid(pool({ attributes: { pool: 'builds' } }));
  });
  it('rejects system, relative and dot-dot mount paths', () => {
    const rejected = ['/etc', '/', '/var', '/var/lib/mesos', 'var/lib/jenkins', '/var/lib/../../etc', '/data/', '/proc/x', '/etc/jenkins', '/var/lib/mesos/slaves', '/var/lib/docker/volumes'];
    for (const mountPath of rejected) {
      onlyProblem(pool({ volume: { sizeGiB: 10, mountPath } }), 'pools.builds.volume.mountPath', `"${mountPath}" is not a data mount path`, 'e.g. /var/lib/jenkins');
    }
    for (const mountPath of ['/var/lib/jenkins', '/srv/data', '/data']) valid(pool({ volume: { sizeGiB: 10, mountPath } }));
  });
});

describe('validation: shape (JSON Schema)', () => {
  it('rejects an unknown root key and lists the allowed keys', () => {
    const line = onlyProblem({ colour: 'blue' }, 'colour', 'unknown key; allowed keys here: name, cloud, image, sshKey, network');
    assert.match(line, /zookeeper, masters, marathon, colocate, bastion, tls, pools, tags, backend, aws, policy, openstack$/);
  });
  it('rejects unknown nested keys and lists the keys allowed there', () => {
    onlyProblem(pool({ colour: 'blue' }), 'pools.builds.colour', 'allowed keys here: count, size, mesosRole, attributes, volume, docker, rootVolumeGiB');
    onlyProblem({ network: { cidrs: ['10.0.0.0/16'] } }, 'network.cidrs', 'allowed keys here: cidr, zones, adminCidrs');
    onlyProblem({ zookeeper: { replicas: 3 } }, 'zookeeper.replicas', 'allowed keys here: count, size, rootVolumeGiB');
    onlyProblem({ bastion: { disk: 30 } }, 'bastion.disk', 'allowed keys here: size, rootVolumeGiB');
    onlyProblem({ backend: { type: 'local', bucket: 'b' } }, 'backend.bucket', 'allowed keys here: type');
  });
  it('reports each missing required key by path', () => {
    for (const key of ['name', 'cloud', 'image', 'sshKey', 'network']) onlyProblem({ [key]: undefined }, key, 'is required');
    onlyProblem({ network: { zones: undefined } }, 'network.zones', 'is required');
    onlyProblem({ network: { adminCidrs: undefined } }, 'network.adminCidrs', 'is required');
    onlyProblem(pool({ count: undefined }), 'pools.builds.count', 'is required');
    onlyProblem({ backend: { type: 's3', region: 'us-east-1' } }, 'backend.bucket', 'is required');
  });
  it('reports wrong types with the value received and the type expected', () => {
    onlyProblem({ zookeeper: { count: '3' } }, 'zookeeper.count', '"3" must be an integer');
    onlyProblem(pool({ docker: 'yes' }), 'pools.builds.docker', '"yes" must be a boolean');
    onlyProblem({ sshKey: 'admin' }, 'sshKey', '"admin" must be a mapping');
    onlyProblem({ network: { zones: 'us-east-1a' } }, 'network.zones', '"us-east-1a" must be a list');
    onlyProblem({ tags: { cost: 5 } }, 'tags.cost', '5 must be a string');
    onlyProblem(pool({ attributes: { rack: true } }), 'pools.builds.attributes.rack', 'true must be a string or a number');
    onlyProblem({ cloud: 'gcp' }, 'cloud', '"gcp" is not allowed; use one of: aws, openstack');
  });
  it('accepts a bastion root volume of 8 GiB or more, and rejects less or a fraction', () => {
    valid({ bastion: { rootVolumeGiB: 8 } });
    onlyProblem({ bastion: { rootVolumeGiB: 4 } }, 'bastion.rootVolumeGiB', '4 must be >= 8');
    onlyProblem({ bastion: { rootVolumeGiB: 8.5 } }, 'bastion.rootVolumeGiB', '8.5 must be an integer');
  });
  it('reports a list where a mapping belongs once, as a type error only', () => {
    onlyProblem({ pools: [{ count: 1 }] }, 'pools', 'must be a mapping');
    onlyProblem(pool({ attributes: ['a b'] }), 'pools.builds.attributes', 'must be a mapping');
  });
  it('rejects a document that is not a mapping', () => {
    onlyProblem('- a\n- b\n', '(root)', 'must be a mapping');
  });
});


describe('validation: YAML', () => {
  it('reports malformed YAML with its line and column', () => {
    onlyProblem('name: test\ncloud: [aws\nimage: x\n', 'line 3, column 1', 'malformed YAML: Flow sequence', 'end with a ]');
    hasProblem(problemLines('name: test\n cloud: aws\n'), 'line 1, column 7', 'malformed YAML');
  });
  it('rejects duplicate keys, such as a pool defined twice', () => {
    const text = `${BASE_YAML}  builds:\n    count: 5\n`; // BASE_YAML's pools.builds is on line 14
    assert.equal(text.split('\n')[15], '  builds:');
    onlyProblem(text, 'line 16, column 3', 'malformed YAML', 'Map keys must be unique');
  });
});

describe('validation: the UI certificate and policy suppressions', () => {
  it('requires aws.certificateArn and refuses text that is not a certificate ARN', () => {
    onlyProblem({ aws: { certificateArn: undefined } }, 'aws.certificateArn', 'is required');
    onlyProblem({ aws: { certificateArn: 'arn:aws:acm:us-east-1:1:certificate/${file("x")}' } }, 'aws.certificateArn', 'must match pattern');
  });

  it('refuses a suppression without a reason of at least 20 characters', () => {
    onlyProblem({ policy: { suppressions: [{ rule: 'no-public-ip', resource: 'aws_instance.a', reason: 'ok' }] } }, 'policy.suppressions[0].reason', 'at least 20');
  });
});

describe('validation: clouds', () => {
  it('reports an unknown backend type once, with the types allowed', () => {
    onlyProblem({ backend: { type: 'gcs' } }, 'backend.type', '"gcs" is not allowed', 'local, s3');
  });
  it('reports too many zones once, with the limit', () => {
    const zones = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((z) => `us-east-1${z}`);
    onlyProblem({ network: { zones } }, 'network.zones', 'at most 6', 'got 7');
  });
  it('rejects the aws section on another cloud', () => {
    hasProblem(problemLines(specYaml({ cloud: 'openstack' })), 'aws', 'only applies when cloud is aws');
  });
});

describe('validation: many problems at once', () => {
  it('reports every problem of a file, one line each, not just the first', () => {
    const lines = problemLines(
      specYaml({
        name: 'Bad_Name',
        colour: 'blue',
        image: undefined,
        zookeeper: { count: 2 },
        masters: { count: 4 },
        network: { cidr: '10.0.0.1/16', adminCidrs: ['0.0.0.0/0'] },
        pools: { zookeeper: { count: 1 }, builds: { count: -1, mesosRole: '..', attributes: { 'a b': 'x' }, volume: { sizeGiB: 1, mountPath: '/etc' } } },
      }),
    );
    const expected: [string, string][] = [
      ['name', 'not DNS-safe'],
      ['colour', 'unknown key'],
      ['image', 'is required'],
      ['zookeeper.count', 'is even'],
      ['masters.count', 'is even'],
      ['network.cidr', 'host bits'],
      ['network.adminCidrs[0]', 'whole internet'],
      ['pools.zookeeper', 'reserved'],
      ['pools.builds.count', 'must be >= 0'],
      ['pools.builds.mesosRole', 'not a valid Mesos role'],
      ['pools.builds.attributes.a b', 'attribute name'],
      ['pools.builds.volume.mountPath', 'mount path'],
    ];
    for (const [path, word] of expected) hasProblem(lines, path, word);
    assert.equal(lines.length, expected.length, lines.join('\n'));
  });
});

describe('loadClusterFiles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mesos-cluster-test-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  it('reports a second file with the same cluster name, naming the first', () => {
    const files = [write('a.yaml', specYaml()), write('b.yaml', specYaml())];
    assert.throws(
      () => loadClusterFiles(files, CLOUD_RULES),
      (error: unknown) => {
        assert.ok(error instanceof ClusterFilesError);
        assert.equal(error.message, `${files[1]}: name: cluster name "test" is already used by a.yaml`);
        return true;
      },
    );
  });
  it("reports a bad file's problems alongside a good file, and throws", () => {
    const good = write('good.yaml', specYaml({ name: 'good' }));
    const bad = write('bad.yaml', specYaml({ name: 'bad', zookeeper: { count: 2 }, network: { cidr: '10.0.0.0/8' } }));
    assert.throws(
      () => loadClusterFiles([bad, good], CLOUD_RULES),
      (error: unknown) => {
        assert.ok(error instanceof ClusterFilesError);
        assert.equal(error.errors.length, 1);
        const lines = error.message.split('\n');
        assert.equal(lines.length, 2, error.message);
        assert.ok(lines.every((l) => l.startsWith(`${bad}: `)));
        assert.ok(lines.some((l) => l.startsWith(`${bad}: zookeeper.count: 2 is even`)));
        assert.ok(lines.some((l) => l.startsWith(`${bad}: network.cidr: "10.0.0.0/8" must be a /16 to /20`)));
        return true;
      },
    );
  });
  it('loads distinct valid files in order', () => {
    const files = [write('x.yaml', specYaml({ name: 'x' })), write('y.yml', specYaml({ name: 'y' }))];
    assert.deepEqual(loadClusterFiles(files, CLOUD_RULES).map((c) => c.name), ['x', 'y']);
    assert.ok(listClusterFiles(dir).includes(files[1]));
  });
});

describe('validation: cloud rules are handed in', () => {
  const noSection = { region: 'r', rootDeviceName: '/dev/r', natGateways: 'single', sessionManager: false, certificateArn: 'c' } as const;
  const noRules: CloudRules = { cloud: 'aws', validate: () => [], defaultSizes: {}, resolveSettings: () => ({ cloud: 'aws', aws: noSection }), defaultEdgeCount: () => 2 };
  it('refuses a cloud whose rules are not given, naming the clouds that are', () => {
    assert.throws(
      () => parseClusterFile(FILE, specYaml(), {}),
      (e: unknown) => e instanceof ClusterFileError && e.message === `${FILE}: cloud: "aws" stacks are not built yet; supported now: `,
    );
  });
  it("takes the edge count from the cloud's rules when the file gives none: 0 resolves no edge and asks for no edge size", () => {
    const sized: CloudRules = { ...noRules, defaultSizes: { zookeeper: 'z', 'mesos-master': 'm', marathon: 'm', bastion: 'b', 'mesos-agent': 'a' } };
    const noEdge: CloudRules = { ...sized, defaultEdgeCount: () => 0 };
    assert.equal(parseClusterFile(FILE, specYaml({ edge: undefined }), { aws: noEdge }).edge, undefined);
    assert.equal(parseClusterFile(FILE, specYaml({ edge: { count: 0 } }), { aws: sized }).edge, undefined);
    const given = parseClusterFile(FILE, specYaml({ edge: { count: 3, size: 'e' } }), { aws: noEdge }).edge;
    assert.deepEqual(given, { count: 3, size: 'e', domain: undefined, cidrs: [] });
  });
  it('requires a size for every role the cloud has no default size for', () => {
    assert.throws(
      () => parseClusterFile(FILE, specYaml({ zookeeper: { size: 'z' } }), { aws: noRules }),
      (e: unknown) => {
        assert.ok(e instanceof ClusterFileError);
        assert.deepEqual(e.problems.map((p) => p.path), ['masters.size', 'marathon.size', 'bastion.size', 'edge.size', 'pools.builds.size']);
        return true;
      },
    );
  });
  it('keeps lib/model free of any cloud and of cdktf', () => {
    const dir = join(__dirname, '../../lib/model');
    for (const file of readdirSync(dir)) {
      const imports = [...readFileSync(join(dir, file), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      assert.deepEqual(imports.filter((i) => /^\.\.\/(?!\.\.\/clusters\/)|cdktf|provider-aws|constructs/.test(i)), [], file);
    }
  });
});

describe('validation: networks that never route', () => {
  it('rejects a cluster network in a non-routable range, naming the range', () => {
    const cases: [string, string][] = [
      ['127.0.0.0/16', 'loopback (127.0.0.0/8)'],
      ['169.254.0.0/16', 'link-local (169.254.0.0/16)'],
      ['224.0.0.0/16', 'multicast (224.0.0.0/4)'],
      ['0.0.0.0/16', '"this network" (0.0.0.0/8)'],
      ['240.0.0.0/16', 'reserved (240.0.0.0/4'],
      ['255.255.0.0/16', 'reserved (240.0.0.0/4'],
    ];
    for (const [cidr, range] of cases) onlyProblem({ network: { cidr } }, 'network.cidr', `"${cidr}" lies in ${range}`, 'never routes');
    for (const cidr of ['10.0.0.0/16', '172.16.0.0/16', '192.168.0.0/16', '100.64.0.0/16']) valid({ network: { cidr } });
  });
  it('rejects an admin CIDR inside a non-routable range', () => {
    for (const admin of ['127.0.0.1/32', '169.254.169.254/32', '239.1.0.0/16', '0.0.0.0/8']) {
      onlyProblem({ network: { adminCidrs: [admin] } }, 'network.adminCidrs[0]', `"${admin}" lies in`);
    }
  });
  it('rejects admin CIDRs that together cover the whole internet, and accepts broad ones that do not', () => {
    onlyProblem({ network: { adminCidrs: ['0.0.0.0/1', '128.0.0.0/1'] } }, 'network.adminCidrs', '"0.0.0.0/1" + "128.0.0.0/1" together cover the whole internet');
    onlyProblem({ network: { adminCidrs: ['128.0.0.0/1', '0.0.0.0/2', '64.0.0.0/2', '10.0.0.0/8'] } }, 'network.adminCidrs', 'together cover the whole internet');
    valid({ network: { adminCidrs: ['0.0.0.0/2', '128.0.0.0/1'] } });
  });
});

describe('validation: SSH public key', () => {
  const key = 'AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
  it('accepts an OpenSSH public key line, with or without a comment', () => {
    valid({ sshKey: { name: 'admin', publicKey: `ssh-ed25519 ${key}` } });
    valid({ sshKey: { name: 'admin', publicKey: `ssh-ed25519 ${key} alice@laptop 2024` } });
  });
  it('rejects anything else, including a key whose blob names another type', () => {
    const bad = [
      `ssh-ed25519 ${key} \${file("/etc/hostname")}`,
      `ssh-ed25519 ${key}\nssh-ed25519 ${key}`,
      `ssh-rsa ${key}`,
      `ssh-dss ${key}`,
      'ssh-ed25519 not-base64!',
      '-----BEGIN OPENSSH PRIVATE KEY-----',
    ];
    for (const publicKey of bad) onlyProblem({ sshKey: { name: 'admin', publicKey } }, 'sshKey.publicKey', 'is not an OpenSSH public key line');
  });
});

describe('validation: S3 backend names', () => {
  const s3 = (fields: Record<string, unknown>) => ({ backend: { type: 's3', bucket: 'ci-state', region: 'us-east-1', ...fields } });
  it('accepts S3 bucket, region, key and DynamoDB table names', () =>
    valid(s3({ bucket: 'my.ci-state.bucket', key: 'clusters/ci/terraform.tfstate', dynamodbTable: 'tf_locks-1.x' })));
  it('rejects bucket names S3 refuses', () => {
    for (const bucket of ['CI-State', 'ci_state', 'ci..state', '192.168.1.1', 'xn--ci', '-ci', 'ci-', 'ci-s3alias', 'b'.repeat(64), 'ci${x}']) {
      onlyProblem(s3({ bucket }), 'backend.bucket', 'is not an S3 bucket name');
    }
  });
  it('rejects regions, state keys and table names outside their patterns', () => {
    for (const region of ['US-EAST-1', 'us-east', 'us-east-1${x}']) onlyProblem(s3({ region }), 'backend.region', 'is not an AWS region name');
    for (const key of ['/abs', 'a//b', 'a/../b', 'a/./b', 'state%{x}', 'a b', 'x\ny']) onlyProblem(s3({ key }), 'backend.key', 'is not a state key');
    for (const dynamodbTable of ['ab', 'a b', 't${x}', 't'.repeat(256)]) onlyProblem(s3({ dynamodbTable }), 'backend.dynamodbTable', 'is not a DynamoDB table name');
  });
});

describe('problem paths print on one line', () => {
  it('quotes a key with a newline, an escape, a C1 or bidi control, or a quote', () => {
    const cases: [string, string][] = [
      ['a\nb', 'pools.builds.attributes["a\\nb"]'],
      ['\u001b[31mred', 'pools.builds.attributes["\\u001b[31mred"]'],
      ['csi\u009b2J', 'pools.builds.attributes["csi\\u009b2J"]'],
      ['evil\u202e', 'pools.builds.attributes["evil\\u202e"]'],
      ['q"t', 'pools.builds.attributes["q\\"t"]'],
    ];
    for (const [name, path] of cases) {
      const line = onlyProblem(pool({ attributes: { [name]: 'v' } }), path, 'attribute name');
      assert.ok(!/[\u0000-\u001f\u007f-\u009f\u202e]/.test(line), JSON.stringify(line));
    }
  });
  it('keeps printable keys as they are', () => {
    onlyProblem(pool({ attributes: { 'a b': 'v' } }), 'pools.builds.attributes.a b', 'attribute name');
  });
  it('quotes a file name that would not print as itself', () => {
    assert.equal(formatProblem('clusters/a\nb.yaml', { path: 'name', message: 'm' }), '"clusters/a\\nb.yaml": name: m');
  });
});
