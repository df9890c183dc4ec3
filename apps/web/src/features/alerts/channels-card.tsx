import { useState } from "react";
import { DataTable, rowsOf } from "../../components/data-table.tsx";
import { Button, Card, ErrorMessage, ShownOnce } from "../../components/ui/index.tsx";
import { useRowEditor } from "../../components/use-row-editor.ts";
import { call } from "../../lib/api.ts";
import { timeAgo } from "../../lib/format.ts";
import { useAction } from "../../lib/use-action.ts";
import { useEndpoint } from "../../lib/use-api.ts";
import { ChannelEditor } from "./channel-editor.tsx";
import { useOwners } from "./owners.tsx";

/**
 * Admins' notification channels (a tenant's admins their tenant's, platform admins every one): add, edit, test and
 * delete them; see and retry dead-lettered deliveries.
 */
export function ChannelsCard() {
  const owners = useOwners();
  const channels = useEndpoint("GET /alerts/channels", {});
  const dead = useEndpoint("GET /alerts/deliveries", { query: { status: "dead", limit: 50 } });
  const action = useAction(() => {
    channels.reload();
    dead.reload();
  });
  const [notice, setNotice] = useState<string>();
  const [secret, setSecret] = useState<string>();
  const { edited, edit, cancel, save } = useRowEditor(channels.data?.channels, action);
  return (
    <>
      <Card title="Notification channels">
        <ErrorMessage error={action.error} what="The change" />
        {notice && (
          <div className="alert alert-ok" id="channel-notice">
            {notice}
          </div>
        )}
        {secret && (
          <ShownOnce
            id="channel-secret"
            label="Signing secret (shown once)"
            value={secret}
            onDone={() => setSecret(undefined)}
          />
        )}
        {!edited && owners.picker}
        <ChannelEditor
          key={edited?.id ?? "new"}
          channel={edited}
          onCancel={cancel}
          onSave={(body) => {
            const { type: _type, ...changes } = body;
            return save(async () => {
              if (edited) await call("PUT /alerts/channels/{id}", { params: { id: edited.id }, body: changes });
              else {
                const r = await call("POST /alerts/channels", { body: { ...body, tenant_id: owners.tenantId } });
                if (r.data.signing_secret) setSecret(r.data.signing_secret);
              }
            });
          }}
        />
        <DataTable
          id="channels-table"
          what="The channels"
          rows={rowsOf(channels, (d) => d.channels)}
          row={(c) => ({ key: c.id, "data-channel": c.name })}
          empty="No channels yet: alerts are only on the dashboard."
          columns={(c) => [
            {
              header: "Channel",
              cell: (ch) => (
                <>
                  {ch.name} <span className="badge">{ch.type}</span>
                </>
              ),
            },
            ...owners.ownerColumn,
            {
              header: "Routing",
              cell: (ch) =>
                `${ch.min_severity}+${ch.site_ids.length ? ` · ${ch.site_ids.join(", ")}` : ""}` +
                (ch.quiet_hours ? ` · quiet ${ch.quiet_hours.start}–${ch.quiet_hours.end}` : "") +
                (ch.timezone ? ` · ${ch.timezone}` : ch.quiet_hours || ch.digest_minutes ? " · site time" : "") +
                (ch.digest_minutes ? ` · digest ${ch.digest_minutes} min` : "") +
                (ch.escalate_after_minutes ? ` · escalate after ${ch.escalate_after_minutes} min` : ""),
            },
            {
              header: "Secrets",
              cell: (ch) => (ch.secrets_set.length ? `${ch.secrets_set.join(", ")} (hidden)` : "none"),
            },
            { header: "Dead", cell: (ch) => ch.dead_deliveries },
            c.actions((ch) => (
              <>
                <Button aria-label={`Edit ${ch.name}`} onClick={() => edit(ch.id)}>
                  Edit
                </Button>
                <Button
                  onClick={() =>
                    void action.run(async () => {
                      const r = await call("POST /alerts/channels/{id}/test", { params: { id: ch.id } });
                      setNotice(`${ch.name}: ${r.message}`);
                    })
                  }
                >
                  Send test
                </Button>
                <Button
                  variant="danger"
                  onClick={() => void action.run(() => call("DELETE /alerts/channels/{id}", { params: { id: ch.id } }))}
                >
                  Delete
                </Button>
              </>
            )),
          ]}
        />
      </Card>
      <Card title="Dead-lettered notifications">
        <DataTable
          id="dead-table"
          what="The dead deliveries"
          rows={rowsOf(dead, (d) => d.deliveries)}
          row={(d) => ({ key: d.id })}
          empty="None: every notification went out."
          columns={(c) => [
            { header: "Channel", cell: (d) => d.channel_id },
            { header: "Alert", cell: (d) => (d.alert_id ? `#${d.alert_id} (${d.event})` : d.event) },
            { header: "Attempts", cell: (d) => d.attempts },
            { header: "Last error", cell: (d) => d.last_error },
            { header: "Queued", cell: (d) => timeAgo(d.created_at) },
            c.actions((d) => (
              <Button
                onClick={() =>
                  void action.run(() => call("POST /alerts/deliveries/{id}/retry", { params: { id: d.id } }))
                }
              >
                Retry
              </Button>
            )),
          ]}
        />
      </Card>
    </>
  );
}
