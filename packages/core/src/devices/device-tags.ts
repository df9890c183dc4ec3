import { ValidationError } from "../errors.ts";

/** The most tags one device may carry (the API schema says the same). */
export const MAX_TAGS_PER_DEVICE = 20;

/** Lowercase, trimmed, de-duplicated and sorted, so `["Pilot", "pilot "]` is one tag. */
export function normalizeTags(tags: readonly string[]): string[] {
  const out = [...new Set(tags.map((t) => t.trim().toLowerCase()).filter((t) => t !== ""))].sort();
  if (out.length > MAX_TAGS_PER_DEVICE)
    throw new ValidationError(`A device carries at most ${MAX_TAGS_PER_DEVICE} tags`, "tags");
  return out;
}

/** `current` with `add` added and `remove` removed, normalised. */
export function changeTags(current: readonly string[], add: readonly string[], remove: readonly string[]): string[] {
  const removed = new Set(remove.map((t) => t.trim().toLowerCase()));
  return normalizeTags([...current, ...add].filter((t) => !removed.has(t.trim().toLowerCase())));
}
