/** The small subset of JSON Schema (draft 2020-12) that the codecs describe themselves with. */
export type JsonSchema = { readonly [key: string]: unknown };

/** Named definitions collected while a schema is generated (`$defs`). */
export type SchemaDefs = Map<string, JsonSchema>;
