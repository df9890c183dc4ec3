import type { ApiTokenSchema, CreateApiTokenBody } from "@homepot/contracts";
import { type FormEvent, useState } from "react";
import type { z } from "zod";
import { type Column, type Columns, DataTable, rowsOf } from "../../components/data-table.tsx";
import { Button, Card, CopyButton, ErrorMessage, SelectField, TextField } from "../../components/ui/index.tsx";
import { useForm } from "../../components/ui/use-form.ts";
import { del, post } from "../../lib/api.ts";
import { useCan } from "../../lib/auth.tsx";
import { formatDateTime } from "../../lib/format.ts";
import { useAction } from "../../lib/use-action.ts";
import { useEndpoint } from "../../lib/use-api.ts";

type ApiToken = z.infer<typeof ApiTokenSchema>;
type Scope = NonNullable<z.input<typeof CreateApiTokenBody>["scope"]>;

/** "t:3" (a tenant) or "s:7" (a site, sites.id) as the token's tenant_id or site_id; "" leaves it unlimited. */
function reachBody(value: string): { tenant_id?: number; site_id?: number } {
  const [kind, id] = value.split(":");
  if (kind === "t") return { tenant_id: Number(id) };
  if (kind === "s") return { site_id: Number(id) };
  return {};
}

/** The tenants and sites a token may be limited to (those the user sees), and a token's reach in words. */
function useReach() {
  const tenants = useEndpoint("GET /tenants", {});
  const sites = useEndpoint("GET /sites", { query: { limit: 1000 } });
  const tenantList = tenants.data ?? [];
  const siteList = sites.data?.sites ?? [];
  const describe = (t: ApiToken) => {
    if (t.site_id !== null) {
      const site = siteList.find((s) => s.id === t.site_id);
      return `site ${site ? site.name : `#${t.site_id}`}`;
    }
    if (t.tenant_id !== null)
      return `tenant ${tenantList.find((x) => x.id === t.tenant_id)?.name ?? `#${t.tenant_id}`}`;
    return "everywhere you may act";
  };
  return { tenants: tenantList, sites: siteList, describe };
}

/** The signed-in user's API tokens for scripts (`Authorization: Bearer`, or HOMEPOT_TOKEN for the CLI). */
export function ApiTokensCard() {
  const canOperate = useCan("operator");
  const isAdmin = useCan("admin");
  const tokens = useEndpoint("GET /auth/tokens", {});
  const reach = useReach();
  const action = useAction();
  const { form, patch, bind, fieldError } = useForm<{
    name: string;
    scope: Scope;
    expires_in_days: string;
    reach: string;
  }>({ name: "", scope: "read_only", expires_in_days: "90", reach: "" }, action.error);
  const [shown, setShown] = useState<string>();

  const create = (e: FormEvent) => {
    e.preventDefault();
    void action.run(async () => {
      const res = await post<{ data: { token: string } }>("/auth/tokens", {
        name: form.name,
        scope: form.scope,
        expires_in_days: Number(form.expires_in_days),
        ...reachBody(form.reach),
      });
      setShown(res.data.token);
      patch({ name: "" });
      tokens.reload();
    });
  };
  const revoke = (token: ApiToken) =>
    action.run(
      async () => {
        await del(`/auth/tokens/${token.id}`);
        tokens.reload();
      },
      { confirm: `Revoke the token "${token.name}"? Scripts using it stop working at once.` },
    );

  const columns = (c: Columns<ApiToken>): Column<ApiToken>[] => [
    c.text("Name", (t) => t.name),
    { header: "Token", cell: (t) => <span className="mono">{t.token_prefix}…</span>, csv: (t) => t.token_prefix },
    { header: "Scope", cell: (t) => t.scope.replace("_", "-"), csv: (t) => t.scope },
    c.text("Reach", reach.describe),
    c.status("Status", (t) => t.status),
    c.time("Expires", (t) => t.expires_at),
    {
      header: "Last used",
      cell: (t) => (t.last_used_at ? `${formatDateTime(t.last_used_at)} from ${t.last_used_ip ?? "?"}` : "never"),
      csv: (t) => t.last_used_at,
    },
    c.actions(
      (t) =>
        t.status === "active" && (
          <Button variant="danger" onClick={() => revoke(t)} id={`api-token-revoke-${t.id}`}>
            Revoke
          </Button>
        ),
    ),
  ];

  return (
    <Card title="API tokens" id="api-tokens">
      <p className="muted">
        For scripts and integrations: send <code>Authorization: Bearer hpt_…</code>, or set <code>HOMEPOT_TOKEN</code>{" "}
        for <code>homepot simulate</code>. A token acts as you, never with more than its scope, until it expires or you
        revoke it.
      </p>
      {shown && (
        <div className="alert alert-ok" role="status">
          Store this token now, it is not shown again: <code id="api-token-value">{shown}</code>{" "}
          <CopyButton text={shown} id="api-token-copy" />
        </div>
      )}
      <ErrorMessage error={action.error} what="The API token" />
      <form className="form form-inline" onSubmit={create} id="api-token-form">
        <TextField {...bind("name")} label="Name" required maxLength={100} />
        <SelectField {...bind("scope")} label="Scope">
          <option value="read_only">read-only</option>
          {canOperate && <option value="operator">operator</option>}
          {isAdmin && <option value="admin">admin</option>}
        </SelectField>
        <SelectField {...bind("reach")} label="Reach" error={fieldError("tenant_id") ?? fieldError("site_id")}>
          <option value="">everywhere you may act</option>
          {reach.tenants.map((t) => (
            <option key={`t${t.id}`} value={`t:${t.id}`}>
              tenant {t.name}
            </option>
          ))}
          {reach.sites.map((s) => (
            <option key={`s${s.id}`} value={`s:${s.id}`}>
              site {s.name} ({s.site_id})
            </option>
          ))}
        </SelectField>
        <TextField {...bind("expires_in_days")} label="Expires in (days)" type="number" min={1} max={365} />
        <Button id="api-token-create" type="submit">
          Create token
        </Button>
      </form>
      <DataTable
        id="api-tokens-table"
        what="API tokens"
        columns={columns}
        rows={rowsOf(tokens, (d) => d.tokens)}
        row={(t) => ({ key: t.id })}
        empty="No API tokens yet."
      />
    </Card>
  );
}
