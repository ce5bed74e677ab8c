import { Summary } from './measure';
import { Scenario } from './scenarios';

/** Facts of one synthesized stack. */
export interface StackFacts {
  readonly name: string;
  /** Resource blocks in cdk.tf.json (a `for_each` block counts once). */
  readonly resourceBlocks: number;
  readonly bytes: number;
}

/** One line of the table. */
export interface Row {
  readonly step: string;
  readonly scenario?: Scenario;
  readonly summary: Summary;
  /** E.g. `1.12× floor`; empty for the baselines themselves. */
  readonly wallRatio?: string;
  readonly cpuRatio?: string;
  /** Resources: per stack blocks and size, or the planned instance count. */
  readonly resources?: string;
  readonly size?: string;
  /** The target this row is held to and whether it was met. */
  target?: string;
}

export interface Machine {
  readonly cores: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly node: string;
  readonly terraform: string;
  readonly os: string;
  readonly loadAtStart: string;
  readonly loadAtEnd: string;
  readonly date: string;
  readonly command: string;
}

const seconds = (s: number) => `${s.toFixed(2)} s`;

export function renderReport(machine: Machine, rows: readonly Row[], notes: readonly string[]): string {
  const header = ['step', 'clusters', 'agents (with volume)', 'resources', 'cdk.tf.json', 'wall, median', 'wall ratio', 'CPU, median', 'CPU ratio', 'peak memory', 'runs', 'target'];
  const lines = [
    '# Benchmark results',
    '',
    `Measured ${machine.date} with \`${machine.command}\` on ${machine.cores} cores (${machine.cpuModel}), ` +
      `${machine.memoryGiB.toFixed(1)} GiB memory, ${machine.os}, Node ${machine.node}, Terraform ${machine.terraform}; ` +
      `load average ${machine.loadAtStart} at the start and ${machine.loadAtEnd} at the end.`,
    '',
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) =>
      [
        row.step,
        row.scenario?.name ?? '',
        row.scenario ? `${row.scenario.agents} (${row.scenario.volumeAgents})` : '',
        row.resources ?? '',
        row.size ?? '',
        seconds(row.summary.wallSeconds),
        row.wallRatio ?? '',
        seconds(row.summary.cpuSeconds),
        row.cpuRatio ?? '',
        `${row.summary.peakMiB.toFixed(0)} MiB`,
        String(row.summary.runs),
        row.target ?? '',
      ].join(' | '),
    ).map((cells) => `| ${cells} |`),
    '',
    ...notes.map((n) => `- ${n}`),
    '',
  ];
  return lines.join('\n');
}
