import type { TemplateRow } from "./template.repository.ts";

/** The API shape of a command template (snake_case, lowercase command type as the forms use it). */
export function presentTemplate(row: TemplateRow) {
  return {
    template_id: row.templateId,
    name: row.name,
    description: row.description,
    command_type: row.commandType.toLowerCase(),
    payload: row.payload,
    parameters: row.parameters.map((p) => ({
      name: p.name,
      required: p.required,
      ...(p.description === undefined ? {} : { description: p.description }),
      ...(p.default === undefined ? {} : { default: p.default }),
    })),
    created_by: row.createdBy,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
