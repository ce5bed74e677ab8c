'use strict';
/**
 * Preloaded with `node --require` by bench/profile.ts: samples the process's CPU with the
 * inspector's profiler and writes the profile to $BENCH_CPU_PROFILE when the process exits.
 * Not `node --cpu-prof`: that V8 flag makes V8 reject the app's code cache (scripts/app.js), so
 * the profile would show a slower start than the measured runs had.
 */
const { writeFileSync } = require('node:fs');
const { Session } = require('node:inspector');

const out = process.env.BENCH_CPU_PROFILE;
if (out) {
  const session = new Session();
  session.connect();
  // The in-process session answers synchronously.
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 1000 });
  session.post('Profiler.start');
  process.on('exit', () => {
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(out, JSON.stringify(result.profile));
    });
  });
}
