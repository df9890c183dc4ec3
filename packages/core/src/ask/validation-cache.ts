import { type Db, type ProductTableName, productTableNames } from "@homepot/db";
import { type TableReport, validateData } from "../analytics/validate-data.ts";
import type { Context } from "../context.ts";

/**
 * `homepot validate`'s table reports, kept for a minute per database: the trust gate asks for them on every
 * question, and a report scans whole tables (NULL counts, range checks), which is far more than an answer costs.
 */
const TTL_MS = 60_000;
const cache = new WeakMap<Db, Map<ProductTableName, { at: number; report: TableReport }>>();

export async function validateCached(ctx: Context, tables: readonly ProductTableName[]): Promise<TableReport[]> {
  const now = ctx.clock.now().getTime();
  const byTable = cache.get(ctx.db) ?? new Map<ProductTableName, { at: number; report: TableReport }>();
  cache.set(ctx.db, byTable);
  const stale = tables.filter((t) => {
    const hit = byTable.get(t);
    return !hit || now - hit.at > TTL_MS || hit.at > now;
  });
  if (stale.length) {
    const fresh = await validateData(ctx, { tables: stale });
    for (const r of fresh.tables) byTable.set(r.table, { at: now, report: r });
  }
  return tables.map((t) => byTable.get(t)?.report).filter((r): r is TableReport => r !== undefined);
}

export function isProductTable(name: string): name is ProductTableName {
  return (productTableNames as readonly string[]).includes(name);
}
