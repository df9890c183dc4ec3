import { useState } from "react";
import { type ApiError, fieldErrorOf } from "../../lib/api.ts";
import { binder } from "./draft-form.tsx";

/**
 * A form's values and what its inputs need: `patch({ staged: true })`, `fieldError("schedule")` (the server's
 * complaint in `error`), and `bind("name")` for a labelled text input (`<TextField {...bind("name")} label="Name" />`).
 */
export function useForm<D extends object>(initial: D | (() => D), error: ApiError | undefined) {
  const [form, setForm] = useState<D>(initial);
  const patch = (changes: Partial<D>) => setForm((old) => ({ ...old, ...changes }));
  const fieldError = fieldErrorOf(error);
  const bind = binder(form, (key) => (value) => patch({ [key]: value } as Partial<D>), fieldError);
  return { form, setForm, patch, fieldError, bind };
}
