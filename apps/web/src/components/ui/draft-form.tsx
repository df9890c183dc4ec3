import { type InputHTMLAttributes, type ReactNode, useState } from "react";
import { Button, TextField } from "./index.tsx";

/** One text input of a form's draft: which draft key it edits, and the `<input>`'s own attributes. */
export type DraftField<K extends string> = {
  key: K;
  name: string;
  label: string;
  hint?: ReactNode;
} & Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "name" | "value" | "onChange">;

/**
 * A table of text inputs bound to a draft's string fields, so a form lists its fields once instead of repeating
 * `<TextField value={d.x} onValue={(x) => set({ x })} />`: `<DraftFields fields={FIELDS} draft={d} set={set} />`.
 */
export function DraftFields<K extends string>({
  fields,
  draft,
  set,
  errorOf,
}: {
  fields: readonly DraftField<K>[];
  draft: { readonly [key in K]: string };
  set: (patch: { [key in K]?: string }) => void;
  /** The server's complaint about a field, if any (by its key). */
  errorOf?: (key: K) => string | undefined;
}) {
  return fields.map(({ key, ...input }) => (
    <TextField
      key={key}
      {...input}
      error={errorOf?.(key)}
      value={draft[key]}
      onValue={(v) => set({ [key]: v } as { [key in K]?: string })}
    />
  ));
}

/** A comma-separated list as its trimmed, non-empty items. */
export const commaList = (s: string) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);

/** What an add-or-edit form takes besides the item it edits: where the body goes, and how to close it. */
export interface EditorProps<B> {
  onSave: (body: B) => Promise<boolean>;
  onCancel?: () => void;
}

/**
 * The state of an add-or-edit form: its draft (from `draftOf(item)`), `set` to patch it, and `save`, which hands a
 * body to `onSave` and, when adding succeeded, starts a fresh draft.
 */
export function useDraft<T, D, B>(
  item: T | undefined,
  draftOf: (item: T | undefined) => D,
  onSave: (body: B) => Promise<boolean>,
) {
  const [draft, setDraft] = useState<D>(() => draftOf(item));
  const set = (patch: Partial<D>) => setDraft((old) => ({ ...old, ...patch }));
  const save = (body: B) =>
    void onSave(body).then((ok) => {
      if (ok && item === undefined) setDraft(draftOf(undefined));
    });
  return { draft, setDraft, set, save };
}

/** An editor's buttons: submit (`Add …` or `Save …`) and, where it can be closed, Cancel. */
export function EditorActions({
  id,
  label,
  disabled,
  onCancel,
}: {
  id: string;
  label: string;
  disabled?: boolean;
  onCancel?: (() => void) | undefined;
}) {
  return (
    <div className="row-actions">
      <Button variant="primary" type="submit" id={id} disabled={disabled}>
        {label}
      </Button>
      {onCancel && <Button onClick={onCancel}>Cancel</Button>}
    </div>
  );
}

/**
 * Binds a form's labelled inputs to its draft: `const bind = binder(draft, set, fieldError)`, then
 * `<TextField label="Name" {...bind("name")} />` gets the field's name, value, onValue and the server's error.
 */
export function binder<D>(
  draft: D,
  set: (key: keyof D) => (value: string) => void,
  errorOf: (field: string) => string | undefined,
) {
  return (key: TextKey<D>) => ({ name: key, value: draft[key] as string, onValue: set(key), error: errorOf(key) });
}

/** The keys of a draft that hold text. */
type TextKey<D> = { [K in keyof D]: D[K] extends string ? K : never }[keyof D] & string;
