import { type FormEvent, useState } from "react";
import { Button, Card, Checkbox, CopyButton, ErrorMessage, TextField } from "../../components/ui/index.tsx";
import { useForm } from "../../components/ui/use-form.ts";
import { del, post } from "../../lib/api.ts";
import { useCan } from "../../lib/auth.tsx";
import { formatDateTime } from "../../lib/format.ts";
import type { Site } from "../../lib/types.ts";
import { useAction } from "../../lib/use-action.ts";

/** The site's reusable provisioning key: its state, and (installers, operators, admins) generate/rotate with options, or revoke. */
export function BootstrapKeyCard({ site, onChanged }: { site: Site; onChanged: () => void }) {
  const canEdit = useCan("installer");
  const action = useAction();
  const { form, bind, check } = useForm(
    { expires_in_hours: "", max_uses: "", approval: site.require_device_approval },
    action.error,
  );
  const [shown, setShown] = useState<string>();
  const path = `/sites/${encodeURIComponent(site.site_id)}/bootstrap-key`;
  const hasKey = site.bootstrap_key_prefix !== null;

  const generate = (e: FormEvent) => {
    e.preventDefault();
    void action.run(async () => {
      const res = await post<{ data: { bootstrap_key: string } }>(path, {
        expires_in_hours: form.expires_in_hours ? Number(form.expires_in_hours) : null,
        max_uses: form.max_uses ? Number(form.max_uses) : null,
        require_approval: form.approval,
      });
      setShown(res.data.bootstrap_key);
      onChanged();
    });
  };
  const revoke = () =>
    action.run(
      async () => {
        await del(path);
        setShown(undefined);
        onChanged();
      },
      { confirm: `Revoke the bootstrap key of ${site.site_id}? Devices can no longer provision themselves.` },
    );

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
      <ErrorMessage error={action.error} what="The bootstrap key" />
      {canEdit && (
        <form className="form form-inline" onSubmit={generate} id="bootstrap-key-form">
          <TextField {...bind("expires_in_hours")} label="Expires in (hours)" type="number" min={1} />
          <TextField {...bind("max_uses")} label="Max uses" type="number" min={1} />
          <Checkbox id="bootstrap-key-approval" {...check("approval")} label="Devices wait for approval" />
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
