/** Keys whose values are secrets in a device config or a command/job payload (wifi_password, db_secret, api_key…). */
const SECRET_FIELD =
  /pass(word|wd|phrase)?|pwd|secret|token|credential|private|signature|cookie|authorization|(^|[-_.\s])key$|[a-z]Key$|^key$|apikey|api_key/i;
/** Fields of an API answer that carry free configuration or payload JSON. */
const CONTAINERS = new Set(["config", "payload", "result", "settings", "old_values", "new_values", "configuration"]);
export const MASK = "•••";

export const isSecretField = (key: string) => SECRET_FIELD.test(key);

/** A copy of `value` with every secret-looking key's value inside a config/payload container shown as "•••". */
export function maskSecretFields(value: unknown, inside = false, depth = 0): unknown {
  if (depth > 32 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => maskSecretFields(v, inside, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (inside && isSecretField(key) && v !== null && v !== "") out[key] = MASK;
    else out[key] = maskSecretFields(v, inside || CONTAINERS.has(key), depth + 1);
  }
  return out;
}
