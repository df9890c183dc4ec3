/** `site_id` → `siteId`, as a type. */
export type Camel<S extends string> = S extends `${infer A}_${infer B}` ? `${A}${Capitalize<Camel<B>>}` : S;

/** A parsed request (snake_case, as on the wire) with camelCase keys: what the use cases take (each member of a union). */
export type UseCaseInput<T> = T extends unknown ? { [K in keyof T & string as Camel<K>]: T[K] } : never;

/**
 * The one way a route hands a parsed body or query to a use case: the same fields, renamed snake_case → camelCase
 * (`device_type` → `deviceType`), values untouched, absent fields left out. The use case's input type is checked
 * against the renamed fields at the call, so contract and use case keep one vocabulary.
 */
export function toInput<T extends object>(parsed: T): UseCaseInput<T> {
  return Object.fromEntries(
    Object.entries(parsed).map(([k, v]) => [k.replace(/_([a-z0-9])/g, (_, ch: string) => ch.toUpperCase()), v]),
  ) as UseCaseInput<T>;
}
