/**
 * Builds a minimal request body that satisfies a JSON schema (required fields only), so the
 * authorization walk can reach each handler past validation. Test support, not production code.
 */
type Schema = {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minItems?: number;
  minimum?: number;
  minLength?: number;
  minProperties?: number;
  maxLength?: number;
  pattern?: string;
  default?: unknown;
};

export function sampleFor(schema: Schema | undefined, name = '', ids: Record<string, string> = {}): unknown {
  if (!schema) return undefined;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum && schema.enum.length > 0) return schema.enum[0];
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) {
    const nonNull = alternatives.find((s) => s.type !== 'null') ?? alternatives[0];
    return sampleFor(nonNull, name, ids);
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of schema.required ?? []) out[key] = sampleFor(schema.properties?.[key], key, ids);
      // A patch schema may demand at least one field: add optional ones until it is satisfied.
      for (const key of Object.keys(schema.properties ?? {})) {
        if (Object.keys(out).length >= (schema.minProperties ?? 0)) break;
        if (!(key in out)) out[key] = sampleFor(schema.properties?.[key], key, ids);
      }
      return out;
    }
    case 'array': {
      const count = schema.minItems ?? 0;
      return Array.from({ length: count }, () => sampleFor(schema.items, name, ids));
    }
    case 'integer':
    case 'number':
      return name === 'version' ? 1 : Math.max(schema.minimum ?? 1, 1);
    case 'boolean':
      return false;
    case 'string': {
      if (schema.format === 'uuid') return ids[name] ?? '00000000-0000-4000-8000-000000000000';
      if (schema.format === 'email' || name === 'email' || name === 'value') return 'walk@example.test';
      if (schema.format === 'date-time') return new Date().toISOString();
      if (schema.format === 'date') return '2026-01-01';
      if (/password/.test(name)) return 'correct horse battery';
      const min = Math.max(schema.minLength ?? 1, 1);
      const base = 'walk';
      return base.repeat(Math.ceil(min / base.length)).slice(0, Math.max(min, Math.min(base.length, schema.maxLength ?? base.length)));
    }
    case 'null':
      return null;
    default:
      return schema.default ?? null;
  }
}
