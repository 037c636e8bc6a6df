/** How a declarative schema reaches the AtlasSchema resource (see `Schema`). */
export type SchemaSource =
  | { readonly kind: 'inline'; readonly sql: string }
  | { readonly kind: 'file'; readonly path: string; readonly sql?: string; readonly error?: string }
  | { readonly kind: 'configMap'; readonly name: string; readonly key: string };
