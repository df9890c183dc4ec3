import type {
  CreateInvitationResponse,
  InvitationsResponse,
  ResetPasswordResponse,
  UsersResponse,
} from "@homepot/contracts/auth";
import { type FormEvent, useState } from "react";
import type { z } from "zod";
import {
  Button,
  Card,
  CopyButton,
  Empty,
  ErrorMessage,
  Field,
  Input,
  Loadable,
  PageHeader,
  Select,
} from "../components/ui/index.tsx";
import { ApiError, api, del, post } from "../lib/api.ts";
import { useAuth } from "../lib/auth.tsx";
import { formatDateTime, timeAgo } from "../lib/format.ts";
import { useApi } from "../lib/use-api.ts";

type User = z.infer<typeof UsersResponse>["users"][number];
type Role = User["role"];
const ROLES: Role[] = ["viewer", "operator", "admin"];

/** Admins manage accounts here: roles, disabling, password resets, and invitations (HOMEPOT_SIGNUP=invite). */
export default function UsersPage() {
  const users = useApi<z.infer<typeof UsersResponse>>("/users");
  const invitations = useApi<z.infer<typeof InvitationsResponse>>("/users/invitations");
  const { user: me } = useAuth();
  const [error, setError] = useState<ApiError>();
  const [secret, setSecret] = useState<{ what: string; value: string }>();

  const act = async (action: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await action();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, String(err)));
    } finally {
      users.reload();
      invitations.reload();
    }
  };
  const update = (u: User, body: { role?: Role; is_active?: boolean }) =>
    act(() => api(`/users/${u.id}`, { method: "PATCH", body }));
  const resetPassword = (u: User) =>
    act(async () => {
      const res = await post<z.infer<typeof ResetPasswordResponse>>(`/users/${u.id}/reset-password`, {});
      if (res.data.generated_password)
        setSecret({ what: `New password of ${u.username}`, value: res.data.generated_password });
    });

  return (
    <>
      <PageHeader title="Users" subtitle="Who may sign in, with which role; invitations for new accounts" />
      <ErrorMessage error={error} what="The change" />
      {secret && (
        <div className="alert alert-ok" id="users-secret">
          {secret.what} (shown once): <code id="users-secret-value">{secret.value}</code>{" "}
          <CopyButton text={secret.value} /> <Button onClick={() => setSecret(undefined)}>Done</Button>
        </div>
      )}
      <InviteCard onCreated={invitations.reload} />
      <Card title="Accounts">
        <Loadable state={users} what="The user list">
          {(data) =>
            data.users.length === 0 ? (
              <Empty>No users.</Empty>
            ) : (
              <table className="table" id="users-table">
                <thead>
                  <tr>
                    <th>User</th>
                    <th>Email</th>
                    <th>Role</th>
                    <th>Status</th>
                    <th>Last sign-in</th>
                    <th>Created</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {data.users.map((u) => {
                    const self = u.id === me?.id;
                    return (
                      <tr key={u.id} data-username={u.username}>
                        <td>
                          {u.username}
                          {u.full_name && <div className="muted">{u.full_name}</div>}
                        </td>
                        <td>{u.email}</td>
                        <td>
                          <Select
                            aria-label={`Role of ${u.username}`}
                            value={u.role}
                            disabled={self}
                            title={self ? "You cannot change your own role" : undefined}
                            onChange={(e) => void update(u, { role: e.target.value as Role })}
                          >
                            {ROLES.map((r) => (
                              <option key={r} value={r}>
                                {r}
                              </option>
                            ))}
                          </Select>
                        </td>
                        <td>{u.is_active ? "active" : <span className="badge badge-bad">disabled</span>}</td>
                        <td>{u.last_login_at ? timeAgo(u.last_login_at) : "never"}</td>
                        <td>{formatDateTime(u.created_at)}</td>
                        <td className="row-actions">
                          {!self && (
                            <Button
                              variant={u.is_active ? "danger" : "secondary"}
                              onClick={() => void update(u, { is_active: !u.is_active })}
                            >
                              {u.is_active ? "Disable" : "Enable"}
                            </Button>
                          )}
                          <Button onClick={() => void resetPassword(u)}>Reset password</Button>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )
          }
        </Loadable>
      </Card>
      <Card title="Invitations">
        <Loadable state={invitations} what="The invitations">
          {(data) =>
            data.invitations.length === 0 ? (
              <Empty>No invitations yet.</Empty>
            ) : (
              <table className="table" id="invitations-table">
                <thead>
                  <tr>
                    <th>For</th>
                    <th>Role</th>
                    <th>Status</th>
                    <th>By</th>
                    <th>Expires</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {data.invitations.map((i) => (
                    <tr key={i.id}>
                      <td>{i.email ?? "anyone with the link"}</td>
                      <td>{i.role}</td>
                      <td>{i.status}</td>
                      <td>{i.created_by_username ?? "—"}</td>
                      <td>{formatDateTime(i.expires_at)}</td>
                      <td>
                        {i.status === "pending" && (
                          <Button onClick={() => void act(() => del(`/users/invitations/${i.id}`))}>Revoke</Button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          }
        </Loadable>
      </Card>
    </>
  );
}

function InviteCard({ onCreated }: { onCreated: () => void }) {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const [link, setLink] = useState<string>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const res = await post<z.infer<typeof CreateInvitationResponse>>("/users/invitations", {
        email: email.trim() || undefined,
        role,
      });
      setLink(res.data.url);
      setEmail("");
      onCreated();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, String(err)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title="Invite someone">
      <form className="filters" id="invite-form" onSubmit={submit} noValidate>
        <Field label="Email" hint="Optional: only this address may use the link">
          {(id) => <Input id={id} type="email" value={email} onChange={(e) => setEmail(e.target.value)} />}
        </Field>
        <Field label="Role">
          {(id) => (
            <Select id={id} value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Button id="invite-submit" type="submit" variant="primary" disabled={busy}>
          Create invitation link
        </Button>
      </form>
      <ErrorMessage error={error} what="The invitation" />
      {link && (
        <div className="alert alert-ok" id="invite-link">
          Send this link (shown once; it works once): <code id="invite-url">{link}</code> <CopyButton text={link} />
        </div>
      )}
    </Card>
  );
}
