import { parseArgs } from 'node:util';

/**
 * The positional arguments of a command that takes `min` to `max` of them and no options; on
 * anything else the usage goes to stderr and the result is exit code 2.
 */
export function cliPositionals(argv: string[], usage: string, min: number, max: number): string[] | 2 {
  try {
    const { positionals } = parseArgs({ args: argv, allowPositionals: true, options: {} });
    if (positionals.length >= min && positionals.length <= max) return positionals;
    process.stderr.write(`${usage}\n`);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${usage}\n`);
  }
  return 2;
}
