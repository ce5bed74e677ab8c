'use strict';
/**
 * A node:test reporter that writes one JSON line per top-level test or suite that ended:
 * `{"name": ..., "ms": ..., "ok": ...}`. In a batch (scripts/test-batch.js) the top level is one
 * suite per file, so scripts/run-tests.js learns each file's duration from it.
 */
module.exports = async function* durations(source) {
  for await (const event of source) {
    if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.nesting === 0) {
      yield `${JSON.stringify({ name: event.data.name, ms: event.data.details.duration_ms, ok: event.type === 'test:pass' })}\n`;
    }
  }
};
