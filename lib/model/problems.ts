/** One thing wrong with a cluster file, located by a path such as `pools.builds.count`. */
export interface Problem {
  readonly path: string;
  readonly message: string;
}

/** Thrown when a cluster file is invalid; carries every problem found, not just the first. */
export class ClusterFileError extends Error {
  constructor(readonly file: string, readonly problems: readonly Problem[]) {
    super(problems.map((p) => formatProblem(file, p)).join('\n'));
    this.name = 'ClusterFileError';
  }
}

/** `<file>: <path>: <message>`, the one line format every problem is reported in. */
export function formatProblem(file: string, problem: Problem): string {
  return `${file}: ${problem.path || '(root)'}: ${problem.message}`;
}

/** Joins path segments the way operators read them: `pools.builds.count`, `network.zones[1]`. */
export function joinPath(...segments: (string | number)[]): string {
  return segments.reduce<string>((path, segment) => {
    if (typeof segment === 'number') return `${path}[${segment}]`;
    return path ? `${path}.${segment}` : segment;
  }, '');
}

/** Renders a received value for a message, short and unambiguous. */
export function show(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value); // JSON would say null
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
