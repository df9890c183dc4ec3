import { getTableColumns, type SQL, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";

/**
 * A multi-row insert whose rows travel as ONE json parameter, expanded server-side by json_to_recordset.
 * Building it costs one JSON.stringify whatever the batch size, where a VALUES list costs a parameter and
 * several SQL chunks per value (the simulator's and ingest's hot paths spent a fifth of their CPU there).
 * Row keys are the column names; timestamps go as ISO text, json columns as nested values. Columns not
 * listed take their defaults.
 */
export interface RecordsetInsert<Row> {
  /** `t(col type, …)` for `json_to_recordset(…) as t(…)`, with the table's own SQL types. */
  readonly recordType: SQL;
  /** `col, col, …` in the listed order. */
  readonly columnList: SQL;
  /** `t.col, t.col, …` in the listed order. */
  readonly selectList: SQL;
  /** The json parameter of a batch. */
  param(rows: readonly Row[]): SQL;
  /** `insert into <table> (cols) select t.cols from json_to_recordset($1) as t(…)`, plus `tail` (e.g. returning). */
  insert(rows: readonly Row[], tail?: SQL): SQL;
}

export function recordsetInsert<Row extends Record<string, unknown>>(
  table: PgTable,
  columns: readonly (keyof Row & string)[],
): RecordsetInsert<Row> {
  const byName = new Map(Object.values(getTableColumns(table)).map((c) => [c.name, c]));
  const recordType = sql.raw(
    columns
      .map((name) => {
        const column = byName.get(name);
        if (!column) throw new Error(`table has no column ${name}`);
        return `${name} ${column.getSQLType()}`;
      })
      .join(", "),
  );
  const columnList = sql.raw(columns.join(", "));
  const selectList = sql.raw(columns.map((c) => `t.${c}`).join(", "));
  const param = (rows: readonly Row[]) => sql`${JSON.stringify(rows)}::json`;
  return {
    recordType,
    columnList,
    selectList,
    param,
    insert: (rows, tail = sql``) =>
      sql`insert into ${table} (${columnList}) select ${selectList} from json_to_recordset(${param(rows)}) as t(${recordType}) ${tail}`,
  };
}
