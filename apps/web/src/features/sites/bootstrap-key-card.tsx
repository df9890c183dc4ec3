import { type FormEvent, useState } from "react";
import { Button, Card, CopyButton, ErrorMessage, Field, Input } from "../../components/ui/index.tsx";
import { ApiError, del, post } from "../../lib/api.ts";
import { useCan } from "../../lib/auth.tsx";
import { formatDateTime } from "../../lib/format.ts";
import type { Site } from "../../lib/types.ts";

const asError = (err: unknown) => (err instanceof ApiError ? err : new ApiError(0, String(err)));

/** The site's reusable provisioning key: its state, and (installers, operators, admins) generate/rotate with options, or revoke. */
export function BootstrapKeyCard({ site, onChanged }: { site: Site; onChanged: () => void }) {
  const canEdit = useCan("installer");
  const [form, setForm] = useState({ expires: "", maxUses: "", approval: site.require_device_approval });
  const [shown, setShown] = useState<string>();
  const [error, setError] = useState<ApiError>();
  const path = `/sites/${encodeURIComponent(site.site_id)}/bootstrap-key`;
  const hasKey = site.bootstrap_key_prefix !== null;

  const generate = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      const res = await post<{ data: { bootstrap_key: string } }>(path, {
        expires_in_hours: form.expires ? Number(form.expires) : null,
        max_uses: form.maxUses ? Number(form.maxUses) : null,
        require_approval: form.approval,
      });
      setShown(res.data.bootstrap_key);
      onChanged();
    } catch (err) {
      setError(asError(err));
    }
  };
  const revoke = async () => {
    if (!window.confirm(`Revoke the bootstrap key of ${site.site_id}? Devices can no longer provision themselves.`))
      return;
    try {
      await del(path);
      setShown(undefined);
      onChanged();
    } catch (err) {
      setError(asError(err));
    }
  };

  return (
    <Card title="Bootstrap key" id="site-bootstrap-key">
      <p id="bootstrap-key-state">
        {hasKey ? (
          <>
            Key <span className="mono">{site.bootstrap_key_prefix}…</span> since{" "}
            {formatDateTime(site.bootstrap_key_created_at)}
            {" · "}used {site.bootstrap_key_uses}
            {site.bootstrap_key_max_uses !== null ? ` of ${site.bootstrap_key_max_uses}` : ""} times
            {site.bootstrap_key_expires_at ? ` · expires ${formatDateTime(site.bootstrap_key_expires_at)}` : ""}
          </>
        ) : (
          "No bootstrap key: devices cannot provision themselves at this site."
        )}
        {site.require_device_approval ? " · new devices wait for approval" : ""}
      </p>
      {shown && (
        <div className="alert alert-ok" role="status">
          Store this key now, it is not shown again: <code id="bootstrap-key-value">{shown}</code>{" "}
          <CopyButton text={shown} id="bootstrap-key-copy" />
          <div className="muted">
            On the device:{" "}
            <code>HOMEPOT_BOOTSTRAP_KEY=… homepot-agent bootstrap --server URL --site {site.site_id}</code>
          </div>
        </div>
      )}
      <ErrorMessage error={error} what="The bootstrap key" />
      {canEdit && (
        <form className="form form-inline" onSubmit={generate} id="bootstrap-key-form">
          <Field label="Expires in (hours)" error={error?.fields.find((f) => f.field === "expires_in_hours")?.message}>
            {(id) => (
              <Input
                id={id}
                name="expires_in_hours"
                type="number"
                min={1}
                value={form.expires}
                onValue={(v) => setForm((f) => ({ ...f, expires: v }))}
              />
            )}
          </Field>
          <Field label="Max uses" error={error?.fields.find((f) => f.field === "max_uses")?.message}>
            {(id) => (
              <Input
                id={id}
                name="max_uses"
                type="number"
                min={1}
                value={form.maxUses}
                onValue={(v) => setForm((f) => ({ ...f, maxUses: v }))}
              />
            )}
          </Field>
          <label>
            <input
              id="bootstrap-key-approval"
              type="checkbox"
              checked={form.approval}
              onChange={(e) => setForm((f) => ({ ...f, approval: e.target.checked }))}
            />{" "}
            Devices wait for approval
          </label>
          <Button id="bootstrap-key-generate" type="submit">
            {hasKey ? "Rotate key" : "Generate key"}
          </Button>
          {hasKey && (
            <Button id="bootstrap-key-revoke" variant="danger" onClick={revoke}>
              Revoke key
            </Button>
          )}
        </form>
      )}
    </Card>
  );
}
