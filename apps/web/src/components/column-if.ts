import type { Column } from "./data-table.tsx";

/** A column that only some see (a role's row actions): `...columnIf(canEdit, { header: "", cell: … })`. */
export function columnIf<T>(shown: boolean, column: Column<T>): Column<T>[] {
  return shown ? [column] : [];
}
