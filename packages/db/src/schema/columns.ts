import { timestamp } from "drizzle-orm/pg-core";

/** All time columns are `timestamp` (without time zone, as in the seeds) holding UTC. */
export const utc = (name: string) => timestamp(name, { mode: "date" });
export const utcNow = (name: string) => utc(name).notNull().defaultNow();
