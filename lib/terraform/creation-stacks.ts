/**
 * cdktf records a full stack trace each time it creates a token (every attribute reference and
 * nested block of every resource), only to quote it should that token later fail to resolve.
 * Formatting those traces is the largest single cost of a synth (about a sixth of its CPU time,
 * measured by `npm run bench`). While `run` executes, traces captured into plain objects, which is
 * how cdktf captures them, format as empty; real errors keep their traces.
 */
export function withoutTokenCreationStacks<T>(run: () => T): T {
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = (target, frames) => {
    if (!(target instanceof Error)) return '';
    if (previous !== undefined) return previous(target, frames);
    return [String(target), ...frames.map((frame) => `    at ${frame}`)].join('\n');
  };
  try {
    return run();
  } finally {
    Error.prepareStackTrace = previous;
  }
}
