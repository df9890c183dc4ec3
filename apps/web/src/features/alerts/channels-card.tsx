import type {
  ChannelList,
  ChannelResult,
  DeliveryList,
  TestNotificationResult,
} from "@homepot/contracts/notifications";
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
  Select,
} from "../../components/ui/index.tsx";
import { ApiError, del, post } from "../../lib/api.ts";
import { timeAgo } from "../../lib/format.ts";
import { useApi } from "../../lib/use-api.ts";

type Channel = z.infer<typeof ChannelList>["channels"][number];

/** Admins' notification channels: add one, send a test, see and retry dead-lettered deliveries. */
export function ChannelsCard() {
  const channels = useApi<z.infer<typeof ChannelList>>("/alerts/channels");
  const dead = useApi<z.infer<typeof DeliveryList>>("/alerts/deliveries", { status: "dead", limit: 50 });
  const [error, setError] = useState<ApiError>();
  const [notice, setNotice] = useState<string>();
  const [secret, setSecret] = useState<string>();
  const run = async (action: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await action();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, String(err)));
    } finally {
      channels.reload();
      dead.reload();
    }
  };
  const test = (c: Channel) =>
    run(async () => {
      const r = await post<z.infer<typeof TestNotificationResult>>(`/alerts/channels/${c.id}/test`);
      setNotice(`${c.name}: ${r.message}`);
    });
  return (
    <>
      <Card title="Notification channels">
        <ErrorMessage error={error} what="The change" />
        {notice && (
          <div className="alert alert-ok" id="channel-notice">
            {notice}
          </div>
        )}
        {secret && (
          <div className="alert alert-ok" id="channel-secret">
            Signing secret (shown once): <code>{secret}</code> <CopyButton text={secret} />{" "}
            <Button onClick={() => setSecret(undefined)}>Done</Button>
          </div>
        )}
        <NewChannel
          onCreate={(body) =>
            run(async () => {
              const r = await post<z.infer<typeof ChannelResult>>("/alerts/channels", body);
              if (r.data.signing_secret) setSecret(r.data.signing_secret);
            })
          }
        />
        <Loadable state={channels} what="The channels">
          {(data) =>
            data.channels.length === 0 ? (
              <Empty>No channels yet: alerts are only on the dashboard.</Empty>
            ) : (
              <table className="table" id="channels-table">
                <thead>
                  <tr>
                    <th>Channel</th>
                    <th>Routing</th>
                    <th>Secrets</th>
                    <th>Dead</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {data.channels.map((c) => (
                    <tr key={c.id} data-channel={c.name}>
                      <td>
                        {c.name} <span className="badge">{c.type}</span>
                      </td>
                      <td>
                        {c.min_severity}+{c.site_ids.length ? ` · ${c.site_ids.join(", ")}` : ""}
                        {c.quiet_hours ? ` · quiet ${c.quiet_hours.start}–${c.quiet_hours.end} UTC` : ""}
                        {c.digest_minutes ? ` · digest ${c.digest_minutes} min` : ""}
                        {c.escalate_after_minutes ? ` · escalate after ${c.escalate_after_minutes} min` : ""}
                      </td>
                      <td>{c.secrets_set.length ? `${c.secrets_set.join(", ")} (hidden)` : "none"}</td>
                      <td>{c.dead_deliveries}</td>
                      <td className="row-actions">
                        <Button onClick={() => void test(c)}>Send test</Button>
                        <Button variant="danger" onClick={() => void run(() => del(`/alerts/channels/${c.id}`))}>
                          Delete
                        </Button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          }
        </Loadable>
      </Card>
      <Card title="Dead-lettered notifications">
        <Loadable state={dead} what="The dead deliveries">
          {(data) =>
            data.deliveries.length === 0 ? (
              <Empty>None: every notification went out.</Empty>
            ) : (
              <table className="table" id="dead-table">
                <thead>
                  <tr>
                    <th>Channel</th>
                    <th>Alert</th>
                    <th>Attempts</th>
                    <th>Last error</th>
                    <th>Queued</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {data.deliveries.map((d) => (
                    <tr key={d.id}>
                      <td>{d.channel_id}</td>
                      <td>{d.alert_id ? `#${d.alert_id} (${d.event})` : d.event}</td>
                      <td>{d.attempts}</td>
                      <td>{d.last_error}</td>
                      <td>{timeAgo(d.created_at)}</td>
                      <td>
                        <Button onClick={() => void run(() => post(`/alerts/deliveries/${d.id}/retry`))}>Retry</Button>
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

function NewChannel({ onCreate }: { onCreate: (body: unknown) => Promise<void> }) {
  const [type, setType] = useState("webhook");
  const [name, setName] = useState("");
  const [target, setTarget] = useState("");
  const [smtpHost, setSmtpHost] = useState("");
  const [minSeverity, setMinSeverity] = useState("warning");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const web = ["webhook", "slack", "teams"].includes(type);
    const body = {
      name,
      type,
      min_severity: minSeverity,
      ...(web ? { secrets: { url: target } } : {}),
      ...(type === "email"
        ? { settings: { to: [target], from: "homepot@localhost", smtp_host: smtpHost || "127.0.0.1", smtp_port: 25 } }
        : {}),
      ...(type === "mqtt" ? { settings: { topic: target } } : {}),
    };
    void onCreate(body).then(() => setName(""));
  };
  const label = type === "email" ? "Recipient" : type === "mqtt" ? "Topic" : "Webhook URL";
  return (
    <form className="filters" id="channel-form" onSubmit={submit} aria-label="New channel">
      <Field label="Name">
        {(id) => <Input id={id} name="channel-name" required value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field label="Type">
        {(id) => (
          <Select id={id} name="channel-type" value={type} onChange={(e) => setType(e.target.value)}>
            <option>webhook</option>
            <option>slack</option>
            <option>teams</option>
            <option>email</option>
            <option>mqtt</option>
          </Select>
        )}
      </Field>
      <Field label={label}>
        {(id) => (
          <Input id={id} name="channel-target" required value={target} onChange={(e) => setTarget(e.target.value)} />
        )}
      </Field>
      {type === "email" && (
        <Field label="SMTP host">
          {(id) => <Input id={id} name="channel-smtp" value={smtpHost} onChange={(e) => setSmtpHost(e.target.value)} />}
        </Field>
      )}
      <Field label="Lowest severity">
        {(id) => (
          <Select id={id} name="channel-severity" value={minSeverity} onChange={(e) => setMinSeverity(e.target.value)}>
            <option>info</option>
            <option>warning</option>
            <option>critical</option>
          </Select>
        )}
      </Field>
      <Button variant="primary" type="submit" id="channel-create">
        Add channel
      </Button>
    </form>
  );
}
