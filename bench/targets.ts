import { Summary } from './measure';
import { Row } from './report';

/** The rows a run produced: synth rows by `<path>|<scenario>`, plan rows by `<backend>|<scenario>`. */
export interface Results {
  readonly synth: ReadonlyMap<string, Row>;
  readonly plan: ReadonlyMap<string, Row>;
  readonly floor: Summary;
  /** npm's own start: part of every `npm run synth`. */
  readonly npmStart: Summary;
}

/** A target from issue #11: marks the rows it judges with the bound and met or missed. */
export interface Target {
  apply(results: Results): void;
}

const verdict = (met: boolean) => (met ? 'met' : '**missed**');

/** Said where wall time misses and CPU time meets the same bound. */
const LOAD_ONLY = ': wall time only, which moves with the other work on the machine (load average above); CPU time meets it';

function rowsOf(rows: ReadonlyMap<string, Row>, matches: (key: string) => boolean): Row[] {
  return [...rows].filter(([key]) => matches(key)).map(([, row]) => row);
}

/** CloudBees-scale synth through `npm run synth` and the cdktf.json app: at most 1.5× the floor. */
const nearFloor: Target = {
  apply({ synth, floor, npmStart }) {
    for (const [key, row] of [...synth].filter(([k]) => /^(npm run synth|cdktf\.json app)\|.* cloudbees-317$/.test(k))) {
      const wall = row.summary.wallSeconds / floor.wallSeconds;
      const cpu = row.summary.cpuSeconds / floor.cpuSeconds;
      row.target = `≤ 1.5× floor: ${verdict(wall <= 1.5)} (by CPU time: ${verdict(cpu <= 1.5)})${wall > 1.5 && cpu <= 1.5 ? LOAD_ONLY : ''}`;
      const app = synth.get(key.replace(/^npm run synth\|/, 'cdktf.json app|'));
      if (key.startsWith('npm run synth|') && (wall > 1.5 || cpu > 1.5) && app !== undefined) {
        // npm run synth = npm's own start + npm running the script (a shell, its lifecycle) + the app.
        const share = (s: Summary) => [s.wallSeconds / floor.wallSeconds, s.cpuSeconds / floor.cpuSeconds];
        const [npmWall, npmCpu] = share(npmStart);
        const [appWall, appCpu] = share(app.summary);
        row.target +=
          `: npm's own start alone is ${npmWall.toFixed(2)}× floor (CPU ${npmCpu.toFixed(2)}×), the app's row ${appWall.toFixed(2)}× ` +
          `(CPU ${appCpu.toFixed(2)}×), and npm running the script (a shell, its lifecycle) the remaining ` +
          `${(wall - npmWall - appWall).toFixed(2)}× (CPU ${(cpu - npmCpu - appCpu).toFixed(2)}×)`;
      }
    }
  },
};

/** Synth time and cdk.tf.json size within 1.2× from 10 to 2,000 agents in any pool (a volume pool: to its limit). */
const flatInPoolSize: Target = {
  apply({ synth }) {
    for (const [key, row] of synth) {
      const match = /^(.*)\|(\S+) (volume-pool|auto-scaled-pool)-at-\d+$/.exec(key);
      if (!match) continue;
      const base = synth.get(`${match[1]}|${match[2]} pools-at-10`);
      if (!base) continue;
      const time = row.summary.wallSeconds / base.summary.wallSeconds;
      const cpu = row.summary.cpuSeconds / base.summary.cpuSeconds;
      const size = parseSize(row.size) / parseSize(base.size);
      row.target =
        `≤ 1.2× pools-at-10 in time (${time.toFixed(2)}×; CPU ${cpu.toFixed(2)}×) and size (${size.toFixed(2)}×): ` +
        `${verdict(time <= 1.2 && size <= 1.2)} (by CPU time: ${verdict(cpu <= 1.2 && size <= 1.2)})` +
        `${time > 1.2 && cpu <= 1.2 && size <= 1.2 ? LOAD_ONLY : ''}`;
    }
  },
};

/** Peak memory at 2,000 agents: at most 250 MB. */
const memoryAt2000: Target = {
  apply({ synth }) {
    for (const row of rowsOf(synth, (k) => /^(npm run synth|cdktf\.json app)\|.* agents-2000$/.test(k))) {
      const megabytes = (row.summary.peakMiB * 1024 * 1024) / 1e6;
      row.target = `≤ 250 MB (${megabytes.toFixed(0)} MB): ${verdict(megabytes <= 250)}`;
    }
  },
};

/** The AWS plan at 2,000 auto-scaled agents: at most 1.3× the plan at 10, on every backend. */
const flatPlan: Target = {
  apply({ plan }) {
    for (const row of rowsOf(plan, (k) => /\|aws auto-scaled-2000$/.test(k))) {
      const wall = Number.parseFloat(row.wallRatio ?? 'NaN');
      const cpu = Number.parseFloat(row.cpuRatio ?? 'NaN');
      row.target = `≤ 1.3× 10-agent plan: ${verdict(wall <= 1.3)} (by CPU time: ${verdict(cpu <= 1.3)})${wall > 1.3 && cpu <= 1.3 ? LOAD_ONLY : ''}`;
    }
  },
};

export const TARGETS: readonly Target[] = [nearFloor, flatInPoolSize, memoryAt2000, flatPlan];

/** Total KiB of a `12 KiB, 30 KiB` cell. */
function parseSize(cell: string | undefined): number {
  return (cell ?? '').split(',').reduce((n, part) => n + Number.parseFloat(part), 0);
}
