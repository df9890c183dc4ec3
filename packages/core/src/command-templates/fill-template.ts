import type { TemplateParameter } from "@homepot/db";
import { ValidationError } from "../errors.ts";

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** The `{{name}}` placeholders used in a payload's strings (keys and values, at any depth). */
export function placeholdersOf(payload: unknown): Set<string> {
  const found = new Set<string>();
  const stack: unknown[] = [payload];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === "string") for (const m of v.matchAll(PLACEHOLDER)) found.add(m[1] as string);
    else if (Array.isArray(v)) stack.push(...v);
    else if (v && typeof v === "object") stack.push(...Object.values(v));
  }
  return found;
}

/** Refuses a template whose payload uses a placeholder it does not declare, or declares one twice. */
export function checkTemplateParameters(payload: Record<string, unknown>, parameters: TemplateParameter[]): void {
  const names = new Set<string>();
  for (const [i, p] of parameters.entries()) {
    if (names.has(p.name)) throw new ValidationError(`parameter ${p.name} is declared twice`, `parameters.${i}.name`);
    names.add(p.name);
  }
  for (const used of placeholdersOf(payload))
    if (!names.has(used))
      throw new ValidationError(`payload uses {{${used}}} but parameters do not declare it`, "parameters");
}

/**
 * The payload with every `{{name}}` replaced by its value (given, else the parameter's default). A required
 * parameter without a value, or a value for a parameter the template does not have, is a 400 naming it.
 */
export function fillTemplate(
  payload: Record<string, unknown>,
  parameters: TemplateParameter[],
  params: Record<string, string>,
): Record<string, unknown> {
  const values = new Map<string, string>();
  for (const name of Object.keys(params))
    if (!parameters.some((p) => p.name === name))
      throw new ValidationError(`the template has no parameter ${name}`, `params.${name}`);
  for (const p of parameters) {
    const value = params[p.name] ?? p.default;
    if (value === undefined) {
      if (p.required) throw new ValidationError(`parameter ${p.name} is required`, `params.${p.name}`);
      values.set(p.name, "");
    } else values.set(p.name, value);
  }
  const fill = (v: unknown): unknown => {
    if (typeof v === "string") return v.replace(PLACEHOLDER, (_, name: string) => values.get(name) ?? "");
    if (Array.isArray(v)) return v.map(fill);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]));
    return v;
  };
  return fill(payload) as Record<string, unknown>;
}
