import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { measurementUnavailable } from '../../bench/measure';
import { assertToolAvailable, gateOn } from '../support/tool-gate';

const missing = measurementUnavailable();
const ROOT = join(__dirname, '..', '..');

describe('npm run bench -- --quick', gateOn(missing), () => {
  it('measures the floor and each synth path on the example clusters once and writes one table with the machine', () => {
    assertToolAvailable(missing);
    const out = join(mkdtempSync(join(tmpdir(), 'mesos-cluster-bench-test-')), 'RESULTS.md');
    const run = spawnSync('npm', ['run', '--silent', 'bench', '--', '--quick', '--out', out], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const examples = readdirSync(join(ROOT, 'clusters')).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, ''));
    const steps = 2 + 2 * examples.length;
    for (let step = 1; step <= steps; step++) assert.match(run.stderr, new RegExp(`bench: \\[${step}/${steps}\\] .*run 1/1: [\\d.]+ s`), `a progress line for step ${step}`);
    const report = readFileSync(out, 'utf8');
    assert.match(report, /on \d+ cores .* GiB memory, .*Node \d+\.\d+\.\d+/);
    const rows = report.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| step') && !line.startsWith('| ---'));
    assert.deepEqual(rows.map((r) => r.split(' | ').slice(0, 2).join(' | ')), [
      '| floor: node loading cdktf + the provider modules the stacks import | ',
      "| npm's own start: `npm run` of a script that does not exist (--if-present) | ",
      ...examples.flatMap((name) => [`| synth: npm run synth | ${name}`, `| synth: cdktf.json app | ${name}`]),
    ]);
    for (const row of rows.slice(2)) assert.match(row, /\| \d+ \| \d+ KiB \| [\d.]+ s \| [\d.]+× floor \| [\d.]+ s \| [\d.]+× floor \| \d+ MiB \| 1 \|/);
  });
});
