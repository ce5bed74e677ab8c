import { configFile, WriteFile } from './write-file';

/**
 * Flag values by name. `true` means a boolean switched on: written as the wrapper's `?name`
 * file, which becomes `--name` (LAYOUT.md 1.2 step 4).
 */
export type MesosFlags = Readonly<Record<string, string | true>>;

/** One file per flag in the wrapper's flag folder: `<dir>/<name>` containing the value. */
export function mesosFlagFiles(dir: string, flags: MesosFlags): WriteFile[] {
  return Object.entries(flags).map(([name, value]) =>
    value === true ? configFile(`${dir}/?${name}`, '') : configFile(`${dir}/${name}`, `${value}\n`),
  );
}

/**
 * `<dir>/attributes/<name>` per attribute: the wrapper joins them into one `--attributes`.
 * Files rather than one `attributes` string so an operator can see and change one attribute.
 */
export function mesosAttributeFiles(dir: string, attributes: Readonly<Record<string, string | number>>): WriteFile[] {
  return Object.entries(attributes).map(([name, value]) => configFile(`${dir}/attributes/${name}`, `${value}\n`));
}
