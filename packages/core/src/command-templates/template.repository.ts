import { commandTemplates, type Db, devices } from "@homepot/db";
import { and, asc, eq, sql } from "drizzle-orm";

export type TemplateRow = typeof commandTemplates.$inferSelect;

export async function findTemplate(db: Db, templateId: string): Promise<TemplateRow | undefined> {
  const [row] = await db.select().from(commandTemplates).where(eq(commandTemplates.templateId, templateId)).limit(1);
  return row;
}

/** A template of this name (case-insensitive), to refuse a second one with a 409 naming the field. */
export async function findTemplateByName(db: Db, name: string): Promise<TemplateRow | undefined> {
  const [row] = await db
    .select()
    .from(commandTemplates)
    .where(sql`lower(${commandTemplates.name}) = lower(${name})`)
    .limit(1);
  return row;
}

export async function listTemplateRows(db: Db, commandType?: string): Promise<TemplateRow[]> {
  return db
    .select()
    .from(commandTemplates)
    .where(commandType ? eq(commandTemplates.commandType, commandType) : undefined)
    .orderBy(asc(commandTemplates.name));
}

/** The active devices of a site that take commands, in device-id order. */
export async function activeDevicesOfSite(db: Db, siteId: string): Promise<string[]> {
  const rows = await db
    .select({ deviceId: devices.deviceId })
    .from(devices)
    .where(and(eq(devices.siteId, siteId), eq(devices.isActive, true), eq(devices.lifecycleState, "active")))
    .orderBy(asc(devices.deviceId));
  return rows.map((r) => r.deviceId);
}
