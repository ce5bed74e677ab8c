/**
 * reference/mesos/mesos-flags.json (extracted from the Mesos 1.11.0 source, which the flag rules of
 * flags-reference.test.ts read) against the real 1.11.0 binaries: the same flags, save those that
 * exist only in builds with isolators this build leaves out. The SSL-only flags are in this build
 * (--enable-ssl), so the flag rules' warning about them holds only for builds without SSL.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { helpFlags, probeMesosBuild } from '../support/mesos-build';
import { assertToolAvailable, gateOn } from '../support/tool-gate';

const probe = probeMesosBuild();
const missing = probe.ok ? undefined : `real Mesos is not runnable here: ${probe.reason}`;
const reference = JSON.parse(readFileSync(join(__dirname, '..', '..', 'reference', 'mesos', 'mesos-flags.json'), 'utf8'));

/** Isolators configure enables that the shared build (see ../shared/mesos/README.md) does not. */
const NOT_IN_THIS_BUILD = /^only when built with --(with-network-isolator|enable-network-ports-isolator|enable-seccomp-isolator|enable-xfs-disk-isolator)\b/;

describe('the Mesos flag reference against the real 1.11.0 binaries', gateOn(missing), () => {
  for (const binary of ['master', 'agent'] as const) {
    it(`mesos-${binary} --help lists every reference flag but the other builds' isolator flags, and no flag the reference lacks`, () => {
      assertToolAvailable(missing);
      if (!probe.ok) return;
      const real = new Set(helpFlags(probe.build, binary));
      const specs: Record<string, { build_condition?: string }> = { ...reference.both, ...reference[binary] };
      const absent = Object.keys(specs).filter((name) => !real.has(name));
      assert.deepEqual(absent.filter((name) => !NOT_IN_THIS_BUILD.test(specs[name].build_condition ?? '')), [], 'reference flags the binary lacks');
      assert.deepEqual([...real].filter((name) => specs[name] === undefined), [], 'binary flags the reference lacks');
      for (const [name, spec] of Object.entries(specs)) {
        if (/SSL/.test(spec.build_condition ?? '')) assert.ok(real.has(name), `--${name} (${spec.build_condition}) is in this SSL build`);
      }
    });
  }
});
