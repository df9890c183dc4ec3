export * from "./client.ts";
export * from "./in-list.ts";
export * from "./migrate.ts";
export * from "./read-replica.ts";
export * from "./recordset-insert.ts";
export * from "./rows.ts";
export * as schema from "./schema/index.ts";
export * from "./schema/index.ts";
export * from "./tables.ts";
