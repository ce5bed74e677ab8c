import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { MARATHON_DEFAULTS } from '../../lib/cloud-init/layout';
import { MARATHON_SECRET_FILES } from '../../lib/cloud-init/marathon-files';
import { RenderedDocument } from '../support/cloud-init-fixtures';
import { FirstBoot, fixtureFirstBoots } from '../support/fixture-first-boots';
import { marathonArgProblems, marathonArgs, parseEnvironmentFile } from '../support/marathon-env';
import { mesosFlagProblems } from '../support/mesos-flag-rules';
import { MesosBinary, mesosWrapperFlags } from '../support/mesos-wrapper-args';

function runsBinary(document: RenderedDocument, binary: MesosBinary): boolean {
  return binary === 'agent' ? document.role === 'mesos-agent' : ['mesos-master', 'control'].includes(document.role);
}

/**
 * The flags every bootable fixture node was left with after its first boot, over the mesos
 * package's own defaults files. Run by test/cloud-init/idempotent-apply.test.ts, which boots the
 * same nodes: one boot per document serves both (test/support/fixture-first-boots.ts). The
 * checkers' own tests and the hand-made layouts are in flags-reference.test.ts.
 */
export function describeFlagsOfFirstBoots(): void {
  describe('every flag a booted node is left with is a real flag of Mesos 1.11 / Marathon 1.10, with a value of its type', () => {
    const booted: FirstBoot[] = [];
    before(async () => {
      for (const boot of await fixtureFirstBoots()) {
        assert.equal(boot.code, 0, `${boot.document.id}: ${boot.stderr}`);
        booted.push(boot);
      }
    });

    for (const binary of ['master', 'agent'] as const) {
      it(`mesos-${binary}: the wrapper's flags are known, single and well-typed`, () => {
        const nodes = booted.filter((b) => runsBinary(b.document, binary));
        assert.ok(nodes.length >= 3);
        for (const { document, sandbox } of nodes) {
          const flags = mesosWrapperFlags(sandbox.root, binary);
          assert.deepEqual(mesosFlagProblems(binary, flags), [], document.id);
          const names = flags.map((f) => f.name);
          const required = binary === 'master' ? ['zk', 'quorum', 'work_dir', 'ip', 'hostname'] : ['master', 'work_dir', 'ip', 'hostname', 'attributes'];
          for (const name of required) assert.ok(names.includes(name), `${document.id} gives --${name}`);
        }
      });
    }

    it('marathon: /etc/default/marathon and the secrets written at boot parse as systemd reads them and give valid options, each once', () => {
      const nodes = booted.filter((b) => ['marathon', 'control'].includes(b.document.role));
      assert.ok(nodes.length >= 3);
      for (const { document, sandbox } of nodes) {
        const { vars, problems } = parseEnvironmentFile(sandbox.read(MARATHON_DEFAULTS));
        const secrets = parseEnvironmentFile(sandbox.read(MARATHON_SECRET_FILES.environment));
        assert.deepEqual([...problems, ...secrets.problems], [], document.id);
        assert.deepEqual(marathonArgProblems(marathonArgs([...vars, ...secrets.vars])), [], document.id);
      }
    });

    it("rendered nodes override the package's defaults files, so no flag comes twice", () => {
      // The sandbox starts from the package's /etc/default files (ZK=, PORT=, LOGS=, MASTER=).
      const nodes = booted.filter(({ document }) => ['mesos-master', 'mesos-agent'].includes(document.role));
      assert.ok(nodes.length >= 3);
      for (const { document, sandbox } of nodes) {
        const binary = document.role === 'mesos-master' ? 'master' : 'agent';
        const flags = mesosWrapperFlags(sandbox.root, binary);
        assert.deepEqual(flags.filter((f) => !f.source.startsWith('/')), [], `${document.id}: every flag is a file`);
      }
    });
  });
}
