import { integer } from "drizzle-orm/pg-core";
import { users } from "./core.ts";

// Columns that point at a user. Kept apart from columns.ts, which core.ts (where users is) itself imports.

/** The user a row belongs to (a token, a session, a membership): deleting the account deletes the row. */
export const ownerUser = () =>
  integer("user_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" });

/** The user who made a row; the row stays when the account goes. */
export const createdByUser = () => integer("created_by").references(() => users.id);
