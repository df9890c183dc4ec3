import { timestamp, varchar } from "drizzle-orm/pg-core";

/** All time columns are `timestamp` (without time zone, as in the seeds) holding UTC. */
export const utc = (name: string) => timestamp(name, { mode: "date" });
export const utcNow = (name: string) => utc(name).notNull().defaultNow();

export type Provenance = "real" | "simulated" | "test";
/** Where a row came from: a real device, a simulated one, or a controlled test, so analytics can keep them apart. */
export const provenance = () => varchar("provenance", { length: 12 }).$type<Provenance>().notNull().default("real");
