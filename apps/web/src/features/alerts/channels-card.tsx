import type { CreateChannelBody } from "@homepot/contracts/notifications";
import { type FormEvent, useState } from "react";
import type { z } from "zod";
import { DataTable } from "../../components/data-table.tsx";
import { Button, Card, ErrorMessage, SelectField, ShownOnce, TextField } from "../../components/ui/index.tsx";
import { call } from "../../lib/api.ts";
import { timeAgo } from "../../lib/format.ts";
import { useAction } from "../../lib/use-action.ts";
import { useEndpoint } from "../../lib/use-api.ts";

type NewChannelBody = z.input<typeof CreateChannelBody>;

/** Admins' notification channels: add one, send a test, see and retry dead-lettered deliveries. */
export function ChannelsCard() {
  const channels = useEndpoint("GET /alerts/channels", {});
  const dead = useEndpoint("GET /alerts/deliveries", { query: { status: "dead", limit: 50 } });
  const action = useAction(() => {
    channels.reload();
    dead.reload();
  });
  const [notice, setNotice] = useState<string>();
  const [secret, setSecret] = useState<string>();
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
        <NewChannel
          onCreate={(body) =>
            action.run(async () => {
              const r = await call("POST /alerts/channels", { body });
              if (r.data.signing_secret) setSecret(r.data.signing_secret);
            })
          }
        />
        <DataTable
          id="channels-table"
          what="The channels"
          rows={channels.data?.channels}
          error={channels.error}
          rowKey={(c) => c.id}
          rowProps={(c) => ({ "data-channel": c.name })}
          empty="No channels yet: alerts are only on the dashboard."
          columns={[
            {
              header: "Channel",
              cell: (c) => (
                <>
                  {c.name} <span className="badge">{c.type}</span>
                </>
              ),
            },
            {
              header: "Routing",
              cell: (c) =>
                `${c.min_severity}+${c.site_ids.length ? ` · ${c.site_ids.join(", ")}` : ""}` +
                (c.quiet_hours
                  ? ` · quiet ${c.quiet_hours.start}–${c.quiet_hours.end} ${c.quiet_hours.timezone ?? "site time"}`
                  : "") +
                (c.digest_minutes ? ` · digest ${c.digest_minutes} min` : "") +
                (c.escalate_after_minutes ? ` · escalate after ${c.escalate_after_minutes} min` : ""),
            },
            {
              header: "Secrets",
              cell: (c) => (c.secrets_set.length ? `${c.secrets_set.join(", ")} (hidden)` : "none"),
            },
            { header: "Dead", cell: (c) => c.dead_deliveries },
            {
              header: "",
              className: "row-actions",
              cell: (c) => (
                <>
                  <Button
                    onClick={() =>
                      void action.run(async () => {
                        const r = await call("POST /alerts/channels/{id}/test", { params: { id: c.id } });
                        setNotice(`${c.name}: ${r.message}`);
                      })
                    }
                  >
                    Send test
                  </Button>
                  <Button
                    variant="danger"
                    onClick={() =>
                      void action.run(() => call("DELETE /alerts/channels/{id}", { params: { id: c.id } }))
                    }
                  >
                    Delete
                  </Button>
                </>
              ),
            },
          ]}
        />
      </Card>
      <Card title="Dead-lettered notifications">
        <DataTable
          id="dead-table"
          what="The dead deliveries"
          rows={dead.data?.deliveries}
          error={dead.error}
          rowKey={(d) => d.id}
          empty="None: every notification went out."
          columns={[
            { header: "Channel", cell: (d) => d.channel_id },
            { header: "Alert", cell: (d) => (d.alert_id ? `#${d.alert_id} (${d.event})` : d.event) },
            { header: "Attempts", cell: (d) => d.attempts },
            { header: "Last error", cell: (d) => d.last_error },
            { header: "Queued", cell: (d) => timeAgo(d.created_at) },
            {
              header: "",
              cell: (d) => (
                <Button
                  onClick={() =>
                    void action.run(() => call("POST /alerts/deliveries/{id}/retry", { params: { id: d.id } }))
                  }
                >
                  Retry
                </Button>
              ),
            },
          ]}
        />
      </Card>
    </>
  );
}

const TYPES = ["webhook", "slack", "teams", "email", "mqtt"] as const;
const SEVERITIES = ["info", "warning", "critical"] as const;

function NewChannel({ onCreate }: { onCreate: (body: NewChannelBody) => Promise<boolean> }) {
  const [type, setType] = useState<(typeof TYPES)[number]>("webhook");
  const [name, setName] = useState("");
  const [target, setTarget] = useState("");
  const [smtpHost, setSmtpHost] = useState("");
  const [minSeverity, setMinSeverity] = useState<(typeof SEVERITIES)[number]>("warning");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const web = type === "webhook" || type === "slack" || type === "teams";
    const body = {
      name,
      type,
      min_severity: minSeverity,
      ...(web ? { secrets: { url: target } } : {}),
      ...(type === "email"
        ? { settings: { to: [target], from: "homepot@localhost", smtp_host: smtpHost || "127.0.0.1", smtp_port: 25 } }
        : {}),
      ...(type === "mqtt" ? { settings: { topic: target } } : {}),
    } as NewChannelBody;
    void onCreate(body).then(() => setName(""));
  };
  const label = type === "email" ? "Recipient" : type === "mqtt" ? "Topic" : "Webhook URL";
  return (
    <form className="filters" id="channel-form" onSubmit={submit} aria-label="New channel">
      <TextField label="Name" name="channel-name" required value={name} onValue={setName} />
      <SelectField label="Type" name="channel-type" value={type} onValue={setType} options={TYPES} />
      <TextField label={label} name="channel-target" required value={target} onValue={setTarget} />
      {type === "email" && <TextField label="SMTP host" name="channel-smtp" value={smtpHost} onValue={setSmtpHost} />}
      <SelectField
        label="Lowest severity"
        name="channel-severity"
        value={minSeverity}
        onValue={setMinSeverity}
        options={SEVERITIES}
      />
      <Button variant="primary" type="submit" id="channel-create">
        Add channel
      </Button>
    </form>
  );
}
