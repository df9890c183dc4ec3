import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allTables, productTableNames } from "../tables.ts";
import { createTestDatabase, type TestDatabase } from "../testing.ts";

/**
 * The columns of the original schema, as seeds/database-metrics-validation.txt sections 1–14 list them.
 * SQL written against the original must keep working, so each must exist with a compatible type:
 * integer may be widened to bigint (high-volume ids), varchar(n) to a longer varchar.
 */
const SEED_COLUMNS: Record<string, Record<string, string>> = {
  health_checks: {
    id: "integer",
    device_id: "integer",
    is_healthy: "boolean",
    response_time_ms: "integer",
    status_code: "integer",
    endpoint: "varchar(200)",
    response_data: "json",
    error_message: "text",
    timestamp: "timestamp",
  },
  device_metrics: {
    id: "integer",
    timestamp: "timestamp",
    device_id: "varchar(255)",
    cpu_percent: "double",
    memory_percent: "double",
    disk_percent: "double",
    network_latency_ms: "double",
    transaction_count: "integer",
    transaction_volume: "double",
    error_rate: "double",
    active_connections: "integer",
    queue_depth: "integer",
    extra_metrics: "json",
  },
  api_request_logs: {
    id: "integer",
    timestamp: "timestamp",
    endpoint: "varchar(255)",
    method: "varchar(10)",
    status_code: "integer",
    response_time_ms: "double",
    user_id: "varchar(255)",
    ip_address: "varchar(45)",
    user_agent: "varchar(500)",
    error_message: "text",
    request_size_bytes: "integer",
    response_size_bytes: "integer",
  },
  device_state_history: {
    id: "integer",
    timestamp: "timestamp",
    device_id: "varchar(255)",
    previous_state: "varchar(50)",
    new_state: "varchar(50)",
    changed_by: "varchar(255)",
    reason: "varchar(500)",
    extra_data: "json",
  },
  configuration_history: {
    id: "integer",
    timestamp: "timestamp",
    entity_type: "varchar(50)",
    entity_id: "varchar(255)",
    parameter_name: "varchar(255)",
    old_value: "json",
    new_value: "json",
    changed_by: "varchar(255)",
    change_reason: "text",
    change_type: "varchar(50)",
    performance_before: "json",
    performance_after: "json",
    was_successful: "boolean",
    was_rolled_back: "boolean",
  },
  site_operating_schedules: {
    id: "integer",
    site_id: "varchar(255)",
    day_of_week: "integer",
    open_time: "time",
    close_time: "time",
    is_closed: "boolean",
    is_maintenance_window: "boolean",
    expected_transaction_volume: "integer",
    peak_hours_start: "time",
    peak_hours_end: "time",
    notes: "text",
    special_considerations: "json",
  },
  audit_logs: {
    id: "integer",
    created_at: "timestamp",
    event_type: "varchar(50)",
    description: "text",
    user_id: "integer",
    job_id: "integer",
    device_id: "integer",
    site_id: "integer",
    old_values: "json",
    new_values: "json",
    event_metadata: "json",
    ip_address: "varchar(45)",
    user_agent: "varchar(500)",
  },
  error_logs: {
    id: "integer",
    timestamp: "timestamp",
    category: "varchar(50)",
    severity: "varchar(20)",
    error_code: "varchar(50)",
    error_message: "text",
    stack_trace: "text",
    endpoint: "varchar(255)",
    user_id: "varchar(255)",
    device_id: "varchar(255)",
    context: "json",
    resolved: "boolean",
    resolved_at: "timestamp",
  },
  jobs: {
    id: "integer",
    job_id: "varchar(100)",
    action: "varchar(100)",
    status: "varchar(20)",
    priority: "varchar(20)",
    site_id: "integer",
    segment: "varchar(100)",
    payload: "json",
    config_url: "varchar(500)",
    config_version: "varchar(50)",
    error_message: "text",
    created_at: "timestamp",
    completed_at: "timestamp",
  },
  job_outcomes: {
    id: "integer",
    timestamp: "timestamp",
    job_id: "varchar(255)",
    job_type: "varchar(100)",
    device_id: "varchar(255)",
    status: "varchar(50)",
    duration_ms: "integer",
    error_code: "varchar(50)",
    error_message: "text",
    retry_count: "integer",
    initiated_by: "varchar(255)",
    extra_data: "json",
  },
  devices: {
    id: "integer",
    device_id: "varchar(100)",
    name: "varchar(100)",
    device_type: "varchar(50)",
    status: "varchar(20)",
    site_id: "varchar(20)",
    ip_address: "varchar(45)",
    config: "json",
    is_active: "boolean",
    last_seen: "timestamp",
  },
  sites: {
    id: "integer",
    site_id: "varchar(50)",
    name: "varchar(100)",
    description: "text",
    location: "varchar(200)",
    is_active: "boolean",
    created_at: "timestamp",
  },
  users: {
    id: "integer",
    username: "varchar(50)",
    email: "varchar(100)",
    hashed_password: "varchar(255)",
    api_key: "varchar(255)",
    is_active: "boolean",
    is_admin: "boolean",
    created_at: "timestamp",
  },
  user_activities: {
    id: "integer",
    timestamp: "timestamp",
    user_id: "varchar(255)",
    session_id: "varchar(255)",
    activity_type: "varchar(50)",
    page_url: "varchar(500)",
    element_id: "varchar(255)",
    search_query: "text",
    extra_data: "json",
    duration_ms: "integer",
  },
};

/** Section 14 gives nullability too (from the original's \d output). */
const USER_ACTIVITIES_NOT_NULL = ["id", "timestamp", "user_id", "activity_type"];

/** Query paths the API offers, each needing an index whose leading columns are these. */
const INDEXED_PATHS: [string, string[]][] = [
  ["device_metrics", ["device_id", "timestamp"]],
  ["device_metrics", ["timestamp"]],
  ["health_checks", ["device_id", "timestamp"]],
  ["api_request_logs", ["timestamp"]],
  ["device_state_history", ["device_id", "timestamp"]],
  ["error_logs", ["timestamp"]],
  ["job_outcomes", ["job_id"]],
  ["audit_logs", ["created_at"]],
  ["devices", ["site_id"]],
  ["devices", ["status"]],
  ["user_activities", ["user_id", "timestamp"]],
  ["site_operating_schedules", ["site_id", "day_of_week"]],
  // Rows walked in id order: the rollups' watermark, insights' unseen rows, exports.
  ["device_metrics", ["id"]],
  ["health_checks", ["id"]],
  ["device_state_history", ["id"]],
  ["api_request_logs", ["id"]],
];

interface Column {
  table_name: string;
  column_name: string;
  data_type: string;
  character_maximum_length: number | null;
  is_nullable: string;
}

function compatible(expected: string, actual: Column): boolean {
  const varchar = /^varchar\((\d+)\)$/.exec(expected);
  if (varchar)
    return actual.data_type === "character varying" && Number(actual.character_maximum_length) >= Number(varchar[1]);
  const accepted: Record<string, string[]> = {
    integer: ["integer", "bigint"],
    double: ["double precision"],
    timestamp: ["timestamp without time zone"],
    time: ["time without time zone"],
    json: ["json", "jsonb"],
    text: ["text"],
    boolean: ["boolean"],
  };
  return (accepted[expected] ?? [expected]).includes(actual.data_type);
}

let database: TestDatabase;
let columns: Column[];
beforeAll(async () => {
  database = await createTestDatabase();
  const result = (await database.db.execute(sql`
    select table_name, column_name, data_type, character_maximum_length, is_nullable
    from information_schema.columns where table_schema = current_schema()`)) as { rows: Column[] };
  columns = result.rows;
});
afterAll(async () => database.close());

describe("schema of the 14 tables (seeds, database-metrics-validation sections 1–14)", () => {
  it("covers exactly the 14 product tables", () => {
    expect(Object.keys(SEED_COLUMNS).sort()).toEqual([...productTableNames].sort());
    // The names come from the contract; each must be a table of the schema.
    expect(productTableNames.filter((name) => !allTables[name])).toEqual([]);
    expect(Object.keys(allTables)).toEqual(expect.arrayContaining(["device_metric_rollups", "app_state"]));
  });

  for (const [table, expected] of Object.entries(SEED_COLUMNS)) {
    it(`${table}: every seed column exists with a compatible type`, () => {
      const actual = columns.filter((c) => c.table_name === table);
      expect(actual.length, `table ${table} exists`).toBeGreaterThan(0);
      const problems: string[] = [];
      for (const [name, type] of Object.entries(expected)) {
        const column = actual.find((c) => c.column_name === name);
        if (!column) problems.push(`${name}: missing`);
        else if (!compatible(type, column))
          problems.push(
            `${name}: expected ${type}, found ${column.data_type}(${column.character_maximum_length ?? ""})`,
          );
      }
      expect(problems).toEqual([]);
    });
  }

  it("user_activities has the seed's nullability", () => {
    for (const c of columns.filter(
      (c) => c.table_name === "user_activities" && c.column_name in SEED_COLUMNS.user_activities!,
    )) {
      expect(`${c.column_name}:${c.is_nullable}`).toBe(
        `${c.column_name}:${USER_ACTIVITIES_NOT_NULL.includes(c.column_name) ? "NO" : "YES"}`,
      );
    }
  });

  it("has an index for every query path of the API", async () => {
    const result = (await database.db.execute(sql`
      select t.relname as table_name, array_to_string(array_agg(a.attname order by k.ord), ',') as cols
      from pg_index i
      join pg_class t on t.oid = i.indrelid
      join pg_namespace n on n.oid = t.relnamespace and n.nspname = current_schema()
      cross join lateral unnest(i.indkey) with ordinality as k(attnum, ord)
      join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum
      group by t.relname, i.indexrelid`)) as { rows: { table_name: string; cols: string }[] };
    const missing = INDEXED_PATHS.filter(
      ([table, cols]) =>
        !result.rows.some((r) => r.table_name === table && `${r.cols},`.startsWith(`${cols.join(",")},`)),
    ).map(([table, cols]) => `${table}(${cols.join(", ")})`);
    expect(missing).toEqual([]);
  });

  it("marks job outcomes, error logs and configuration history of a simulated device `simulated` on insert", async () => {
    const db = database.db;
    await db.execute(sql`insert into devices (device_id, name, device_type, site_id, is_simulated)
      values ('prov-sim', 'Simulated till', 'pos_terminal', 'site-p', true),
             ('prov-real', 'Real till', 'pos_terminal', 'site-p', false)`);
    for (const device of ["prov-sim", "prov-real"]) {
      await db.execute(sql`insert into job_outcomes (job_id, job_type, device_id, status)
        values ('job-prov', 'config_update', ${device}, 'success')`);
      await db.execute(sql`insert into error_logs (category, severity, error_code, error_message, device_id)
        values ('device', 'warning', 'PROV_001', 'test', ${device})`);
      await db.execute(sql`insert into configuration_history
        (entity_type, entity_id, parameter_name, changed_by, change_type)
        values ('device', ${device}, 'payment_timeout_s', 'test', 'manual')`);
    }
    // A writer that chose a provenance keeps it.
    await db.execute(sql`insert into error_logs (category, severity, error_code, error_message, device_id, provenance)
      values ('device', 'warning', 'PROV_002', 'test', 'prov-sim', 'test')`);
    const result = (await db.execute(sql`
      select 'job_outcomes' as t, device_id as d, provenance as p from job_outcomes where job_id = 'job-prov'
      union all select 'error_logs', device_id, provenance from error_logs where error_code like 'PROV_%'
      union all select 'configuration_history', entity_id, provenance from configuration_history
        where entity_id like 'prov-%'
      order by 1, 2, 3`)) as { rows: { t: string; d: string; p: string }[] };
    expect(result.rows.map((r) => `${r.t} ${r.d} ${r.p}`)).toEqual([
      "configuration_history prov-real real",
      "configuration_history prov-sim simulated",
      "error_logs prov-real real",
      "error_logs prov-sim simulated",
      "error_logs prov-sim test",
      "job_outcomes prov-real real",
      "job_outcomes prov-sim simulated",
    ]);
  });
});
