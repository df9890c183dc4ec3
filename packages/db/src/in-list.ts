import { type Column, type SQL, sql } from "drizzle-orm";

/** Above this many values a list travels as one json parameter instead of a parameter each. */
const PARAMETER_LIST_MAX = 1000;

/**
 * `column in (values)` for a list of any length: a short one as parameters (the planner sees the values), a long
 * one (a whole fleet's device ids) as ONE json parameter expanded by the server, since a statement takes at most
 * 65 535 parameters. Text values.
 */
export function inList(column: Column | SQL, values: readonly string[]): SQL {
  if (values.length === 0) return sql`false`;
  if (values.length <= PARAMETER_LIST_MAX)
    return sql`${column} in (${sql.join(
      values.map((v) => sql`${v}`),
      sql`, `,
    )})`;
  return sql`${column} in (select json_array_elements_text(${JSON.stringify(values)}::json))`;
}

/**
 * `any(…)` over a list as ONE array parameter (`column = ${anyOf("text", ids)}`): one parameter whatever the list's
 * length, so building the statement costs nothing per value, and the server still sees the values (an index scan
 * per value). The array travels in its text form, which both drivers pass on as it is.
 */
export function anyOf(type: "text", values: readonly string[]): SQL;
export function anyOf(type: "int", values: readonly number[]): SQL;
export function anyOf(type: "text" | "int", values: readonly (string | number)[]): SQL {
  if (type === "int") {
    if (!values.every(Number.isSafeInteger)) throw new TypeError("anyOf: int values must be whole numbers");
    return sql`any(${`{${values.join(",")}}`}::int[])`;
  }
  return sql`any(${`{${values.map((v) => `"${String(v).replace(/[\\"]/g, "\\$&")}"`).join(",")}}`}::text[])`;
}
