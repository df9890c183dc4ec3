import type { UsersResponse } from "@homepot/contracts/auth";
import { type FormEvent, useState } from "react";
import { Link } from "react-router";
import type { z } from "zod";
import { DataTable, rowsOf } from "../components/data-table.tsx";
import {
  Button,
  Card,
  ErrorMessage,
  PageHeader,
  Select,
  SelectField,
  ShownOnce,
  TextField,
} from "../components/ui/index.tsx";
import { type TenantUser, useTenantUsers } from "../features/tenants/tenant-data.ts";
import { call } from "../lib/api.ts";
import { useAuth } from "../lib/auth.tsx";
import { formatDateTime, timeAgo } from "../lib/format.ts";
import { useAction } from "../lib/use-action.ts";
import { useEndpoint } from "../lib/use-api.ts";

type User = z.infer<typeof UsersResponse>["users"][number];
type Role = User["role"];
const ROLES: Role[] = ["viewer", "installer", "operator", "admin"];

/** Admins manage accounts here: roles, disabling, password resets, and invitations (HOMEPOT_SIGNUP=invite). */
export default function UsersPage() {
  const users = useEndpoint("GET /users", {});
  const invitations = useEndpoint("GET /users/invitations", {});
  const tenants = useEndpoint("GET /tenants", { query: { include_inactive: "true" } });
  const memberships = useTenantUsers(tenants.data?.map((t) => t.id));
  const tenantName = new Map((tenants.data ?? []).map((t) => [t.id, t.name]));
  const membershipsOf = (u: User) => (memberships.data ?? []).filter((m) => m.id === u.id);
  const where = (m: TenantUser) =>
    `${tenantName.get(m.tenant_id) ?? `tenant ${m.tenant_id}`}${m.site_id ? ` / ${m.site_id}` : ""}`;
  const { user: me } = useAuth();
  const action = useAction(() => {
    users.reload();
    invitations.reload();
  });
  const [secret, setSecret] = useState<{ what: string; value: string }>();

  const update = (u: User, body: { role?: Role; is_active?: boolean }) =>
    action.run(() => call("PATCH /users/{user_id}", { params: { user_id: u.id }, body }));
  const resetPassword = (u: User) =>
    action.run(async () => {
      const res = await call("POST /users/{user_id}/reset-password", { params: { user_id: u.id }, body: {} });
      if (res.data.generated_password)
        setSecret({ what: `New password of ${u.username}`, value: res.data.generated_password });
    });

  return (
    <>
      <PageHeader
        title="Users"
        subtitle="Who may sign in, with which role and where (memberships are managed on each tenant's page); invitations"
      />
      <ErrorMessage error={action.error} what="The change" />
      {secret && (
        <ShownOnce
          id="users-secret"
          valueId="users-secret-value"
          label={`${secret.what} (shown once)`}
          value={secret.value}
          onDone={() => setSecret(undefined)}
        />
      )}
      <InviteCard onCreated={invitations.reload} />
      <Card title="Accounts">
        <DataTable
          id="users-table"
          what="The user list"
          rows={rowsOf(users, (d) => d.users)}
          row={(u) => ({ key: u.id, "data-username": u.username })}
          empty="No users."
          columns={(c) => [
            {
              header: "User",
              cell: (u) => (
                <>
                  {u.username}
                  {u.full_name && <div className="muted">{u.full_name}</div>}
                </>
              ),
            },
            { header: "Id", className: "num", cell: (u) => u.id },
            { header: "Email", cell: (u) => u.email },
            {
              header: "Role",
              cell: (u) => (
                <Select
                  aria-label={`Role of ${u.username}`}
                  value={u.role}
                  disabled={u.id === me?.id}
                  title={u.id === me?.id ? "You cannot change your own role" : undefined}
                  onChange={(e) => void update(u, { role: e.target.value as Role })}
                >
                  {ROLES.map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                </Select>
              ),
            },
            {
              header: "Memberships",
              cell: (u) =>
                u.is_admin ? (
                  <span className="badge badge-info">platform admin</span>
                ) : (
                  <ul className="plain-list">
                    {membershipsOf(u).map((m) => (
                      <li key={`${m.tenant_id}-${m.site_id ?? ""}`}>
                        <Link to={`/tenants/${m.tenant_id}`}>{where(m)}</Link>: {m.role}
                      </li>
                    ))}
                  </ul>
                ),
              csv: (u) =>
                u.is_admin
                  ? "platform admin"
                  : membershipsOf(u)
                      .map((m) => `${where(m)}: ${m.role}`)
                      .join("; "),
            },
            {
              header: "Status",
              cell: (u) => (u.is_active ? "active" : <span className="badge badge-bad">disabled</span>),
            },
            { header: "Last sign-in", cell: (u) => (u.last_login_at ? timeAgo(u.last_login_at) : "never") },
            { header: "Created", cell: (u) => formatDateTime(u.created_at) },
            c.actions((u) => (
              <>
                {u.id !== me?.id && (
                  <Button
                    variant={u.is_active ? "danger" : "secondary"}
                    onClick={() => void update(u, { is_active: !u.is_active })}
                  >
                    {u.is_active ? "Disable" : "Enable"}
                  </Button>
                )}
                <Button onClick={() => void resetPassword(u)}>Reset password</Button>
              </>
            )),
          ]}
        />
      </Card>
      <Card title="Invitations">
        <DataTable
          id="invitations-table"
          what="The invitations"
          rows={rowsOf(invitations, (d) => d.invitations)}
          row={(i) => ({ key: i.id })}
          empty="No invitations yet."
          columns={(c) => [
            { header: "For", cell: (i) => i.email ?? "anyone with the link" },
            { header: "Role", cell: (i) => i.role },
            { header: "Status", cell: (i) => i.status },
            { header: "By", cell: (i) => i.created_by_username ?? "—" },
            { header: "Expires", cell: (i) => formatDateTime(i.expires_at) },
            c.actions(
              (i) =>
                i.status === "pending" && (
                  <Button
                    onClick={() =>
                      void action.run(() =>
                        call("DELETE /users/invitations/{invitation_id}", { params: { invitation_id: i.id } }),
                      )
                    }
                  >
                    Revoke
                  </Button>
                ),
            ),
          ]}
        />
      </Card>
    </>
  );
}

function InviteCard({ onCreated }: { onCreated: () => void }) {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const [link, setLink] = useState<string>();
  const invite = useAction();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void invite.run(async () => {
      const res = await call("POST /users/invitations", { body: { email: email.trim() || undefined, role } });
      setLink(res.data.url);
      setEmail("");
      onCreated();
    });
  };

  return (
    <Card title="Invite someone">
      <form className="filters" id="invite-form" onSubmit={submit} noValidate>
        <TextField
          label="Email"
          hint="Optional: only this address may use the link"
          type="email"
          value={email}
          onValue={setEmail}
        />
        <SelectField label="Role" value={role} onValue={setRole} options={ROLES} />
        <Button id="invite-submit" type="submit" variant="primary" disabled={invite.pending}>
          Create invitation link
        </Button>
      </form>
      <ErrorMessage error={invite.error} what="The invitation" />
      {link && (
        <ShownOnce
          id="invite-link"
          valueId="invite-url"
          label="Send this link (shown once; it works once)"
          value={link}
        />
      )}
    </Card>
  );
}
