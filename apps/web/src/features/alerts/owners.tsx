import { useState } from "react";
import type { Column } from "../../components/data-table.tsx";
import { SelectField } from "../../components/ui/index.tsx";
import { useCan } from "../../lib/auth.tsx";
import { useEndpoint } from "../../lib/use-api.ts";

/**
 * Who owns alert rules and channels: a tenant, or nobody (platform-wide, platform admins' only). Gives the owner
 * column, whether the caller manages an object (the server decides; this hides what it would refuse), and
 * the owner picker for new objects: platform admins choose a tenant or platform-wide, admins of several tenants one
 * of theirs; an admin of one tenant sees no picker (the server files it under their tenant).
 */
export function useOwners() {
  const platform = useCan("platform");
  const isAdmin = useCan("admin");
  const tenants = useEndpoint("GET /tenants", {});
  const names = new Map((tenants.data ?? []).map((t) => [t.id, t.name]));
  const [picked, setPicked] = useState<string>();
  const options = [
    ...(platform ? [{ value: "", label: "Platform-wide (every tenant)" }] : []),
    ...(tenants.data ?? []).map((t) => ({ value: String(t.id), label: t.name })),
  ];
  const owner = picked ?? options[0]?.value ?? "";
  const showOwner = platform || names.size > 1;
  const ownerName = (id: number | null) => (id === null ? "Platform-wide" : (names.get(id) ?? `Tenant ${id}`));
  const ownerColumn: Column<{ tenant_id: number | null }>[] = showOwner
    ? [{ header: "Owner", cell: (row) => ownerName(row.tenant_id) }]
    : [];
  return {
    /** The owner column is shown once more than one owner is possible. */
    showOwner,
    /** The owner column, or none: spread it into a table's columns. */
    ownerColumn,
    manages: (id: number | null) => platform || (isAdmin && id !== null),
    /** What a new object's body says: a tenant, null (platform-wide) or nothing (the caller's one tenant). */
    tenantId: owner === "" ? (platform ? null : undefined) : Number(owner),
    picker:
      options.length > 1 ? (
        <SelectField label="Owner" name="owner-tenant" value={owner} options={options} onValue={setPicked} />
      ) : null,
  };
}
