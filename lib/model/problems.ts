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

/** The path of a problem with the file itself rather than a key in it. */
export const FILE_PATH = '(file)';

/** `<file>: <path>: <message>`, the one line format every problem is reported in. */
export function formatProblem(file: string, problem: Problem): string {
  return `${printable(file)}: ${problem.path || '(root)'}: ${problem.message}`;
}

/**
 * Joins path segments the way operators read them: `pools.builds.count`, `network.zones[1]`.
 * A key that a terminal would not print as itself (a newline, an escape, a bidi control) or that
 * holds a quote is printed quoted and escaped, `tags["a\nb"]`, so one problem stays one line.
 */
export function joinPath(...segments: (string | number)[]): string {
  return segments.reduce<string>((path, segment) => {
    if (typeof segment === 'number') return `${path}[${segment}]`;
    if (NEEDS_QUOTES.test(segment)) return `${path}[${quote(segment)}]`;
    return path ? `${path}.${segment}` : segment;
  }, '');
}

/** Control, format (bidi), line and paragraph separator characters, quotes and backslashes. */
const NEEDS_QUOTES = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}"\\]/u;
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

/** `\uXXXX` for what JSON leaves raw: C1 controls such as U+009B (a terminal's CSI), bidi controls, U+2028. */
function escapeUnprintable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function quote(text: string): string {
  return escapeUnprintable(JSON.stringify(text));
}

/** A name as given, or quoted when it would not print as itself. */
export function printable(text: string): string {
  return NEEDS_QUOTES.test(text) ? quote(text) : text;
}

/** Renders a received value for a message, short and unambiguous, on one line. */
export function show(value: unknown): string {
  // As YAML writes them (what the file holds); JSON would say null, and a bare NaN reads as a bug.
  if (typeof value === 'number' && !Number.isFinite(value)) return Number.isNaN(value) ? '.nan' : value > 0 ? '.inf' : '-.inf';
  const json = JSON.stringify(value);
  const text = escapeUnprintable(json === undefined ? String(value) : json);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
