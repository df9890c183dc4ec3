import { index, json, pgTable, serial, text, uniqueIndex, varchar } from "drizzle-orm/pg-core";
import { authored } from "./columns.ts";

/** One parameter of a command template: `{{name}}` in the payload's strings, filled in when the template runs. */
export interface TemplateParameter {
  name: string;
  description?: string | undefined;
  default?: string | undefined;
  required: boolean;
}

/** A named, parameterised command preset (type + payload) an operator runs on a device, a selection or a site. */
export const commandTemplates = pgTable(
  "command_templates",
  {
    id: serial("id").primaryKey(),
    templateId: varchar("template_id", { length: 64 }).notNull(),
    name: varchar("name", { length: 100 }).notNull(),
    description: text("description"),
    commandType: varchar("command_type", { length: 50 }).notNull(),
    payload: json("payload").$type<Record<string, unknown>>().notNull(),
    parameters: json("parameters").$type<TemplateParameter[]>().notNull(),
    ...authored(),
  },
  (t) => [
    uniqueIndex("command_templates_template_id_uq").on(t.templateId),
    uniqueIndex("command_templates_name_uq").on(t.name),
    index("command_templates_type_idx").on(t.commandType),
  ],
);
