import { PRODUCT_TABLE_NAMES, type ProductTableName } from "@homepot/contracts/tables";
import { getTableName, is } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import * as s from "./schema/index.ts";

/** Every table the product owns (the 14 plus commands, rollups, alerts…), by SQL name, read off the schema. */
export const allTables: Readonly<Record<string, PgTable>> = Object.fromEntries(
  (Object.values(s) as unknown[]).filter((v): v is PgTable => is(v, PgTable)).map((t) => [getTableName(t), t]),
);
export type TableName = string;

export type { ProductTableName };
/** The 14 tables of the product's data set (SPEC §2), in the seeds' order; the names come from the contract. */
export const productTableNames: readonly ProductTableName[] = PRODUCT_TABLE_NAMES;
