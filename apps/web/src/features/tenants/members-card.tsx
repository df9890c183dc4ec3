import { type FormEvent, useState } from "react";
import { ActionButton } from "../../components/action-button.tsx";
import { DataTable } from "../../components/data-table.tsx";
import { Button, Card, ErrorMessage, Select, SelectField, TextField } from "../../components/ui/index.tsx";
import { call, invalidField } from "../../lib/api.ts";
import { formatDateTime } from "../../lib/format.ts";
import { useAction } from "../../lib/use-action.ts";
import { useLoad } from "../../lib/use-api.ts";
import { MEMBER_ROLES, type MemberRole, type Person, personName } from "./tenant-data.ts";

interface Scope {
  tenantId: number;
  /** sites.id, for a site's members. */
  siteKey?: number | undefined;
}

const listMembers = ({ tenantId, siteKey }: Scope, signal: AbortSignal) =>
  siteKey === undefined
    ? call("GET /tenants/{tenant_id}/members", { params: { tenant_id: tenantId }, signal })
    : call("GET /tenants/{tenant_id}/sites/{site_id}/members", {
        params: { tenant_id: tenantId, site_id: siteKey },
        signal,
      });

function writeMember(
  scope: Scope,
  change: { add: { user_id: number; role: MemberRole } } | { id: number; role: MemberRole | null },
) {
  const { tenantId: tenant_id, siteKey: site_id } = scope;
  if ("add" in change)
    return site_id === undefined
      ? call("POST /tenants/{tenant_id}/members", { params: { tenant_id }, body: change.add })
      : call("POST /tenants/{tenant_id}/sites/{site_id}/members", { params: { tenant_id, site_id }, body: change.add });
  const membership_id = change.id;
  if (change.role === null)
    return site_id === undefined
      ? call("DELETE /tenants/{tenant_id}/members/{membership_id}", { params: { tenant_id, membership_id } })
      : call("DELETE /tenants/{tenant_id}/sites/{site_id}/members/{membership_id}", {
          params: { tenant_id, site_id, membership_id },
        });
  const body = { role: change.role };
  return site_id === undefined
    ? call("PUT /tenants/{tenant_id}/members/{membership_id}", { params: { tenant_id, membership_id }, body })
    : call("PUT /tenants/{tenant_id}/sites/{site_id}/members/{membership_id}", {
        params: { tenant_id, site_id, membership_id },
        body,
      });
}

/**
 * The members of a tenant or of one of its sites, with their role: change it, remove them, add someone (chosen from
 * `choices`, or by user id when the caller cannot list users).
 */
export function MembersCard({
  scope,
  title,
  idPrefix,
  people,
  choices,
  onChanged,
}: {
  scope: Scope;
  title: string;
  /** Prefix of the table's and the form's ids: `<idPrefix>-members-table`, `<idPrefix>-member-form`. */
  idPrefix: string;
  people: Map<number, Person>;
  choices: Person[] | undefined;
  onChanged?: () => void;
}) {
  const members = useLoad(`members ${scope.tenantId} ${scope.siteKey ?? ""}`, (signal) => listMembers(scope, signal));
  const action = useAction(() => {
    members.reload();
    onChanged?.();
  });
  const [userId, setUserId] = useState("");
  const [role, setRole] = useState<MemberRole>("viewer");
  const taken = new Set((members.data ?? []).map((m) => m.user_id));

  const add = async (e: FormEvent) => {
    e.preventDefault();
    const id = Number(userId);
    if (!Number.isInteger(id) || id < 1) return action.setError(invalidField("user_id", "not a user id"));
    if (await action.run(() => writeMember(scope, { add: { user_id: id, role } }))) setUserId("");
  };

  return (
    <Card title={title} id={`${idPrefix}-members`}>
      <ErrorMessage error={action.error} what="The membership change" />
      <DataTable
        id={`${idPrefix}-members-table`}
        what={title}
        rows={members}
        row={(m) => ({ key: m.id, "data-username": personName(people, m.user_id) })}
        empty="No members yet."
        columns={(c) => [
          { header: "User", cell: (m) => personName(people, m.user_id), csv: (m) => personName(people, m.user_id) },
          {
            header: "Email",
            cell: (m) => people.get(m.user_id)?.email ?? "—",
            csv: (m) => people.get(m.user_id)?.email,
          },
          {
            header: "Role",
            csv: (m) => m.role,
            cell: (m) => (
              <Select
                aria-label={`Role of ${personName(people, m.user_id)}`}
                value={m.role}
                disabled={action.pending}
                onChange={(e) =>
                  void action.run(() => writeMember(scope, { id: m.id, role: e.target.value as MemberRole }))
                }
              >
                {MEMBER_ROLES.map((r) => (
                  <option key={r}>{r}</option>
                ))}
              </Select>
            ),
          },
          { header: "Since", cell: (m) => formatDateTime(m.created_at), csv: (m) => m.created_at },
          c.actions((m) => (
            <ActionButton
              variant="danger"
              action={action}
              run={() => writeMember(scope, { id: m.id, role: null })}
              confirm={`Remove ${personName(people, m.user_id)} from ${title.toLowerCase()}?`}
            >
              Remove
            </ActionButton>
          )),
        ]}
      />
      <form className="filters" id={`${idPrefix}-member-form`} onSubmit={add} noValidate>
        {choices ? (
          <SelectField
            label="User"
            name="user_id"
            value={userId}
            onValue={setUserId}
            options={choices
              .filter((u) => !taken.has(u.id))
              .map((u) => ({ value: String(u.id), label: `${u.username} (${u.email})` }))}
          >
            <option value="">Choose a user…</option>
          </SelectField>
        ) : (
          <TextField
            label="User id"
            name="user_id"
            hint="The id of an existing account (a platform admin sees it on the Users page)"
            inputMode="numeric"
            value={userId}
            onValue={setUserId}
          />
        )}
        <SelectField label="Role" name="role" value={role} onValue={setRole} options={MEMBER_ROLES} />
        <Button type="submit" variant="primary" disabled={action.pending || !userId}>
          Add member
        </Button>
      </form>
    </Card>
  );
}
