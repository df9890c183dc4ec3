import { boolean, index, integer, json, pgTable, serial, text, varchar } from "drizzle-orm/pg-core";
import { sitePublicId, utcNow } from "./columns.ts";
import { users } from "./core.ts";

/** Questions asked of "Ask HOMEPOT" (POST /ai/query) and what was answered: each user's question history. */
export const askQueries = pgTable(
  "ask_queries",
  {
    id: serial("id").primaryKey(),
    createdAt: utcNow("created_at"),
    userId: integer("user_id").references(() => users.id, { onDelete: "cascade" }),
    question: text("question").notNull(),
    intent: varchar("intent", { length: 50 }).notNull(),
    engine: varchar("engine", { length: 20 }).notNull(),
    answered: boolean("answered").notNull(),
    trustLevel: varchar("trust_level", { length: 20 }).notNull(),
    answer: text("answer").notNull(),
    siteId: sitePublicId(),
    deviceId: varchar("device_id", { length: 255 }),
    durationMs: integer("duration_ms").notNull(),
    citations: json("citations"),
  },
  (t) => [index("ask_queries_user_ts_idx").on(t.userId, t.createdAt)],
);
