/**
 * Terraform reads `${` and `%{` in any string of a configuration as template syntax. Text that
 * must reach a server verbatim (shell in user-data, such as `${VAR}`) escapes them as `$${`
 * and `%%{`, Terraform's own escapes for a literal `${` and `%{`.
 */
export function escapeTerraformTemplate(text: string): string {
  // Replacer functions: in a replacement string `$$` would itself mean one `$`.
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

/** The inverse, as Terraform applies it when it evaluates the string. */
export function unescapeTerraformTemplate(text: string): string {
  return text.replace(/\$\$\{/g, () => '${').replace(/%%\{/g, () => '%{');
}
