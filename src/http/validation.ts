import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

type DataValidationCxt = Parameters<ValidateFunction>[1];
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
type AddFormats = (ajv: Ajv) => Ajv;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ?? addFormatsModule) as unknown as AddFormats;

function makeAjv(coerceTypes: boolean | 'array'): Ajv {
  const ajv = new Ajv({
    // Unknown fields are an error, not silently dropped (CONVENTIONS.md: precise errors).
    removeAdditional: false,
    useDefaults: true,
    coerceTypes,
    allErrors: true,
    strict: false,
  });
  addFormats(ajv);
  return ajv;
}

/**
 * JSON bodies are validated without type coercion (a number where a string belongs is a 400),
 * while the query string, path parameters and headers, which are always text, are coerced.
 */
const bodyAjv = makeAjv(false);
const textAjv = makeAjv('array');

/**
 * Each route's validator is compiled on the route's first request, not at start-up: compiling
 * every schema of every route up front took ~0.8 s of the start. The wrapper looks like an Ajv
 * function to Fastify: `schemaEnv` makes Fastify pass the parent object (so coercion can replace a
 * root value) and `errors` carries the last call's errors.
 */
export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? bodyAjv : textAjv;
  let compiled: ValidateFunction | undefined;
  const validate = Object.assign(
    (data: unknown, context?: DataValidationCxt) => {
      compiled ??= ajv.compile(schema as object);
      const valid = context ? compiled(data, context) : compiled(data);
      validate.errors = compiled.errors;
      return valid;
    },
    { errors: null as ValidateFunction['errors'], schemaEnv: true },
  );
  return validate as unknown as ReturnType<FastifySchemaCompiler<unknown>>;
};

export interface FieldProblem {
  field: string;
  problem: string;
}

/** Turns Ajv errors into `{field, problem}` pairs an API client can show next to a form field. */
export function describeValidationErrors(errors: Partial<ErrorObject>[], part: string): FieldProblem[] {
  return errors.map((e) => {
    const base = (e.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
    const params = (e.params ?? {}) as Record<string, unknown>;
    switch (e.keyword) {
      case 'additionalProperties':
        return { field: [base, params.additionalProperty].filter(Boolean).join('.'), problem: 'is not a known field' };
      case 'required':
        return { field: [base, params.missingProperty].filter(Boolean).join('.'), problem: 'is required' };
      case 'maxLength':
        return { field: base || part, problem: `must be at most ${String(params.limit)} characters` };
      case 'minLength':
        return { field: base || part, problem: `must be at least ${String(params.limit)} characters` };
      case 'type':
        return { field: base || part, problem: `must be of type ${String(params.type)}` };
      case 'enum':
        return { field: base || part, problem: `must be one of: ${(params.allowedValues as unknown[]).join(', ')}` };
      default:
        return { field: base || part, problem: e.message ?? 'is invalid' };
    }
  });
}
