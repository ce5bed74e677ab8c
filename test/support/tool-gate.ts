import { spawnSync } from 'node:child_process';

/**
 * True when running under CI: any non-empty CI other than `false` or `0` (CI services set
 * `true`, `1` or their own name).
 */
export function isCi(value: string | undefined): boolean {
  const ci = (value ?? '').trim().toLowerCase();
  return ci !== '' && ci !== 'false' && ci !== '0';
}

/**
 * Tests that need an outside tool (terraform, java, shellcheck, ...) are skipped on a developer
 * machine that lacks it, but fail under CI: a missing tool must never pass silently.
 */
export function gateOn(missing: string | undefined): { skip?: string } {
  if (missing === undefined || isCi(process.env.CI)) return {};
  return { skip: missing };
}

/** First line of every gated test: under CI a missing tool is a failure. */
export function assertToolAvailable(missing: string | undefined): void {
  if (missing !== undefined) throw new Error(`${missing}; CI requires it (.ci/run installs it)`);
}

/** Why `tool` cannot run here, or undefined when it is on PATH. */
export function missingTool(tool: string, debianPackage: string): string | undefined {
  if (spawnSync('sh', ['-c', 'command -v "$1"', 'sh', tool]).status === 0) return undefined;
  return `${tool} is not installed (apt-get install ${debianPackage}, or npm run setup)`;
}
