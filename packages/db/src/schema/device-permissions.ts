import { boolean, pgTable, serial, uniqueIndex, varchar } from "drizzle-orm/pg-core";
import { devicePublicId, utcNow } from "./columns.ts";

/**
 * What the device's owner allows remote operators to do on it (the original's five grants). No row = nothing
 * granted. Set by the device itself (its key), or by an admin's audited override.
 */
export const devicePermissions = pgTable(
  "device_permissions",
  {
    id: serial("id").primaryKey(),
    deviceId: devicePublicId().notNull(),
    rootAccess: boolean("root_access").notNull().default(false),
    commandExecution: boolean("command_execution").notNull().default(false),
    processMonitoring: boolean("process_monitoring").notNull().default(false),
    filesystemAccess: boolean("filesystem_access").notNull().default(false),
    networkMonitoring: boolean("network_monitoring").notNull().default(false),
    /** device | admin_override */
    updatedVia: varchar("updated_via", { length: 20 }).notNull().default("device"),
    /** The device id, or the admin's user id. */
    updatedBy: varchar("updated_by", { length: 100 }),
    updatedAt: utcNow("updated_at"),
  },
  (t) => [uniqueIndex("device_permissions_device_uq").on(t.deviceId)],
);
