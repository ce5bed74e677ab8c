import Ajv, { ValidateFunction } from 'ajv';
import schema from '../../clusters/cluster.schema.json';

/** Ajv and the validator it compiled from the published schema. */
export function compileClusterSchema(code?: { readonly source: boolean }): { readonly ajv: Ajv; readonly validate: ValidateFunction } {
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true, code });
  return { ajv, validate: ajv.compile(schema) };
}

/**
 * The validator for cluster files. The bundled app (`scripts/app.js`) replaces this module with
 * the same validator compiled ahead of time, which saves loading Ajv and compiling on every synth.
 */
export function clusterSchemaValidator(): ValidateFunction {
  return compileClusterSchema().validate;
}
