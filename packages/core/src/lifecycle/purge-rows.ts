import type { Db } from "@homepot/db";
import { type SQL, sql } from "drizzle-orm";

/** Never purged: the audit trail (the purge's own tombstone joins it) and the tables handled by hand. */
const KEEP = new Set(["audit_logs", "devices", "device_epochs", "health_checks"]);

/** The tables (of this schema) that have `column`, with its type. */
export async function tablesWithColumn(tx: Db, column: string): Promise<Array<{ table: string; type: string }>> {
  const r = await tx.execute(sql`
    select table_name as "table", data_type as "type" from information_schema.columns
    where table_schema = current_schema() and column_name = ${column}`);
  return (r as unknown as { rows: Array<{ table: string; type: string }> }).rows;
}

/** `(a, b, …)` for an `in`, `(null)` when empty. */
export const idList = (v: string[]): SQL =>
  sql`(${sql.join(v.length ? v.map((x) => sql`${x}`) : [sql`null`], sql`, `)})`;

/** Whether purge keeps `table` (the audit trail and the tables deleted by hand). */
export const keptOnPurge = (table: string): boolean => KEEP.has(table);

/**
 * Deletes devices and every row of theirs (metrics, health, history, commands, outcomes, errors, logs, device
 * configuration history) in the caller's transaction; the audit trail and device_epochs stay.
 */
export async function deleteDeviceRows(tx: Db, rows: Array<{ id: number; deviceId: string }>): Promise<void> {
  if (rows.length === 0) return;
  const ids = rows.map((d) => d.deviceId);
  const pks = rows.map((d) => String(d.id));
  for (const { table, type } of await tablesWithColumn(tx, "device_id")) {
    if (KEEP.has(table) || type === "integer") continue;
    await tx.execute(sql`delete from ${sql.identifier(table)} where device_id in ${idList(ids)}`);
  }
  await tx.execute(sql`delete from configuration_history where entity_type = 'device' and entity_id in ${idList(ids)}`);
  await tx.execute(sql`delete from health_checks where device_id in ${idList(pks)}`);
  await tx.execute(sql`delete from devices where id in ${idList(pks)}`);
}
