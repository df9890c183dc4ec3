import { useState } from "react";
import type { Action } from "../lib/use-action.ts";

/**
 * The add-or-edit form above a list: `edit(id)` puts a row in it (`edited`), `cancel` (only while editing) goes back
 * to adding, and `save` runs the form's write as `action` and, once it went through, goes back to adding too.
 */
export function useRowEditor<T extends { id: number }>(rows: readonly T[] | undefined, action: Action) {
  const [editing, setEditing] = useState<number>();
  const edited = rows?.find((r) => r.id === editing);
  const close = () => setEditing(undefined);
  return {
    edited,
    edit: setEditing,
    cancel: edited ? close : undefined,
    save: async (write: () => Promise<unknown>) => {
      const ok = await action.run(write);
      if (ok) close();
      return ok;
    },
  };
}
