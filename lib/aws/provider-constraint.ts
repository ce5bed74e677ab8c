/**
 * Accepts the provider the installed binding was generated for (6.x) and the one mirrored on
 * build machines (5.100); the stacks use only arguments both understand, which an offline
 * `terraform plan` with 5.100 proves.
 */
export const AWS_PROVIDER_CONSTRAINT = '>= 5.100, < 7';
