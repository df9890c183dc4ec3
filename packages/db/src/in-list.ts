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
