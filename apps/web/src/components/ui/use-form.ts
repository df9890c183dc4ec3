import { useState } from "react";
import { type ApiError, fieldErrorOf } from "../../lib/api.ts";
import { binder } from "./draft-form.tsx";

/**
 * A form's values and what its inputs need: `patch({ staged: true })`, `fieldError("schedule")` (the server's
 * complaint in `error`), `bind("name")` for a labelled text input (`<TextField {...bind("name")} label="Name" />`)
 * and `check("staged")` for a checkbox of a yes/no field (`<Checkbox {...check("staged")} label="Staged" />`).
 */
export function useForm<D extends object>(initial: D | (() => D), error: ApiError | undefined) {
  const [form, setForm] = useState<D>(initial);
  const patch = (changes: Partial<D>) => setForm((old) => ({ ...old, ...changes }));
  const fieldError = fieldErrorOf(error);
  const bind = binder(form, (key) => (value) => patch({ [key]: value } as Partial<D>), fieldError);
  const check = (key: FlagKey<D>) => ({
    checked: form[key] as boolean,
    onChecked: (checked: boolean) => patch({ [key]: checked } as Partial<D>),
  });
  return { form, setForm, patch, fieldError, bind, check };
}

/** The keys of a form that hold yes or no. */
type FlagKey<D> = { [K in keyof D]: D[K] extends boolean ? K : never }[keyof D];
