/**
 * Test harness: CloudWatch as moto holds it, read through its query API directly rather than
 * by spawning the AWS CLI (1.5-1.8 CPU-s a start, docs/test-lanes.md). The scripts under test
 * still publish with the AWS CLI; only the test's own reads come here.
 */
import { motoQuery } from '../../lib/emulator/moto-query';
import { MotoServer } from './moto-server';

export interface MetricName {
  readonly namespace: string;
  readonly name: string;
  readonly dimension: { readonly name: string; readonly value: string };
}

/** One CloudWatch query API call; its XML answer, or an error naming the action and status. */
function cloudwatchAction(moto: MotoServer, action: string, params: Record<string, string>): Promise<string> {
  return motoQuery(moto.endpoint, 'monitoring', '2010-08-01', action, params);
}

/** The inner XML of each `<member>` directly inside the first `<list>`; a list whose members hold members is cut by depth. */
function members(xml: string, list: string): string[] {
  const start = xml.indexOf(`<${list}>`);
  const end = xml.indexOf(`</${list}>`, start);
  if (start < 0 || end < 0) return [];
  const found: string[] = [];
  let depth = 0;
  let from = -1;
  const pattern = /<member>|<\/member>/g;
  pattern.lastIndex = start + list.length + 2;
  for (let m = pattern.exec(xml); m !== null && m.index < end; m = pattern.exec(xml)) {
    if (m[0] === '<member>') {
      if (depth === 0) from = m.index + m[0].length;
      depth += 1;
    } else {
      depth -= 1;
      if (depth === 0) found.push(xml.slice(from, m.index));
    }
  }
  return found;
}

function field(xml: string, name: string): string {
  const match = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
  if (match === null) throw new Error(`no <${name}> in ${xml.slice(0, 300)}`);
  return match[1];
}

/** An hour either side of now: every point a test just published. */
function window(): Record<string, string> {
  const now = Date.now();
  return { StartTime: new Date(now - 3600_000).toISOString(), EndTime: new Date(now + 3600_000).toISOString() };
}

/** The metrics moto holds in `namespace` (ListMetrics), as sorted `name dimension=value,...` lines. */
export async function listMetrics(moto: MotoServer, namespace: string): Promise<string[]> {
  const xml = await cloudwatchAction(moto, 'ListMetrics', { Namespace: namespace });
  return members(xml, 'Metrics')
    .map((metric) => {
      const dimensions = members(metric, 'Dimensions').map((d) => `${field(d, 'Name')}=${field(d, 'Value')}`);
      return `${field(metric, 'MetricName')} ${dimensions.join(',')}`;
    })
    .sort();
}

/**
 * Every value published to the metric in the last hour (GetMetricStatistics over one period:
 * a point's minimum and maximum, or its one value as many times as it was sampled).
 */
export async function publishedValues(moto: MotoServer, metric: MetricName): Promise<number[]> {
  const xml = await cloudwatchAction(moto, 'GetMetricStatistics', {
    Namespace: metric.namespace,
    MetricName: metric.name,
    'Dimensions.member.1.Name': metric.dimension.name,
    'Dimensions.member.1.Value': metric.dimension.value,
    ...window(),
    Period: '7200',
    'Statistics.member.1': 'Minimum',
    'Statistics.member.2': 'Maximum',
    'Statistics.member.3': 'SampleCount',
  });
  return members(xml, 'Datapoints').flatMap((point) => {
    const [min, max, count] = ['Minimum', 'Maximum', 'SampleCount'].map((name) => Number(field(point, name)));
    return min === max ? Array<number>(count).fill(min) : [min, max];
  });
}

/** The values of the metric's `stat` per `periodSeconds` in the last hour (GetMetricData, as an alarm or a scaling policy reads it). */
export async function metricDataValues(moto: MotoServer, metric: MetricName, periodSeconds: number, stat: string): Promise<number[]> {
  const query = 'MetricDataQueries.member.1';
  const xml = await cloudwatchAction(moto, 'GetMetricData', {
    [`${query}.Id`]: 'values',
    [`${query}.MetricStat.Metric.Namespace`]: metric.namespace,
    [`${query}.MetricStat.Metric.MetricName`]: metric.name,
    [`${query}.MetricStat.Metric.Dimensions.member.1.Name`]: metric.dimension.name,
    [`${query}.MetricStat.Metric.Dimensions.member.1.Value`]: metric.dimension.value,
    [`${query}.MetricStat.Period`]: String(periodSeconds),
    [`${query}.MetricStat.Stat`]: stat,
    ...window(),
  });
  const [result] = members(xml, 'MetricDataResults');
  if (result === undefined) throw new Error(`GetMetricData answered no result: ${xml.slice(0, 300)}`);
  return members(result, 'Values').map(Number);
}
