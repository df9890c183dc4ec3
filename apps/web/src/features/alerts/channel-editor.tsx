import type { ChannelSchema, CreateChannelBody } from "@homepot/contracts/notifications";
import { type FormEvent, useState } from "react";
import type { z } from "zod";
import { Button, SelectField, TextField } from "../../components/ui/index.tsx";

export type ChannelBody = z.input<typeof CreateChannelBody>;
type Channel = z.infer<typeof ChannelSchema>;

const TYPES = ["webhook", "slack", "teams", "email", "mqtt"] as const;
const SEVERITIES = ["info", "warning", "critical"] as const;
type Type = (typeof TYPES)[number];
const NUMBERS = [
  { key: "digest", name: "channel-digest", label: "Digest every (min, 0 = off)", min: 0 },
  { key: "escalate", name: "channel-escalate", label: "Escalate after (min, 0 = off)", min: 0 },
  { key: "attempts", name: "channel-attempts", label: "Attempts before dead-letter", min: 1 },
] as const;
const isWeb = (t: string) => t === "webhook" || t === "slack" || t === "teams";

interface Draft {
  name: string;
  type: Type;
  enabled: boolean;
  /** Webhook URL (a secret: empty on edit keeps the stored one), recipients, or topic. */
  target: string;
  smtpHost: string;
  smtpPort: string;
  from: string;
  mqttUrl: string;
  minSeverity: (typeof SEVERITIES)[number];
  sites: string;
  quietStart: string;
  quietEnd: string;
  quietZone: string;
  digest: string;
  escalate: string;
  attempts: string;
}

function draftOf(ch: Channel | undefined): Draft {
  const s = ch?.settings ?? {};
  const str = (v: unknown, d = "") => (typeof v === "string" || typeof v === "number" ? String(v) : d);
  const type = (ch?.type as Type | undefined) ?? "webhook";
  return {
    name: ch?.name ?? "",
    type,
    enabled: ch?.enabled ?? true,
    target: type === "email" ? (Array.isArray(s.to) ? s.to.join(", ") : "") : type === "mqtt" ? str(s.topic) : "",
    smtpHost: str(s.smtp_host),
    smtpPort: str(s.smtp_port, "25"),
    from: str(s.from, "homepot@localhost"),
    mqttUrl: str(s.mqtt_url),
    minSeverity: (ch?.min_severity as Draft["minSeverity"] | undefined) ?? "warning",
    sites: ch?.site_ids.join(", ") ?? "",
    quietStart: ch?.quiet_hours?.start ?? "",
    quietEnd: ch?.quiet_hours?.end ?? "",
    quietZone: ch?.quiet_hours?.timezone ?? "",
    digest: String(ch?.digest_minutes ?? 0),
    escalate: String(ch?.escalate_after_minutes ?? 0),
    attempts: String(ch?.max_attempts ?? 5),
  };
}

const list = (s: string) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);

function bodyOf(d: Draft, editing: boolean): ChannelBody {
  const settings =
    d.type === "email"
      ? { to: list(d.target), from: d.from, smtp_host: d.smtpHost || "127.0.0.1", smtp_port: Number(d.smtpPort) }
      : d.type === "mqtt"
        ? { topic: d.target, ...(d.mqttUrl ? { mqtt_url: d.mqttUrl } : {}) }
        : {};
  return {
    name: d.name,
    type: d.type,
    enabled: d.enabled,
    settings,
    // A secret left empty while editing keeps the stored one (it is never shown again).
    secrets: isWeb(d.type) && (d.target || !editing) ? { url: d.target } : {},
    min_severity: d.minSeverity,
    site_ids: list(d.sites),
    quiet_hours:
      d.quietStart && d.quietEnd
        ? { start: d.quietStart, end: d.quietEnd, timezone: d.quietZone.trim() || null }
        : null,
    digest_minutes: Number(d.digest),
    escalate_after_minutes: Number(d.escalate),
    max_attempts: Number(d.attempts),
  };
}

/**
 * Adds a notification channel or edits one: where it sends (secrets are write-only: left empty on edit they are
 * kept), which alerts (lowest severity, sites), quiet hours in a time zone, digest, escalation and retries.
 */
export function ChannelEditor({
  channel,
  onSave,
  onCancel,
}: {
  channel?: Channel;
  onSave: (body: ChannelBody) => Promise<boolean>;
  onCancel?: () => void;
}) {
  const [d, setD] = useState<Draft>(() => draftOf(channel));
  const set = (patch: Partial<Draft>) => setD((old) => ({ ...old, ...patch }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void onSave(bodyOf(d, channel !== undefined)).then((ok) => {
      if (ok && !channel) setD(draftOf(undefined));
    });
  };
  const label = d.type === "email" ? "Recipients (comma-separated)" : d.type === "mqtt" ? "Topic" : "Webhook URL";
  return (
    <form id="channel-form" onSubmit={submit} aria-label={channel ? `Edit channel ${channel.name}` : "New channel"}>
      <h3>{channel ? `Edit “${channel.name}”` : "New channel"}</h3>
      <div className="form-grid">
        <TextField label="Name" name="channel-name" required value={d.name} onValue={(name) => set({ name })} />
        <SelectField
          label="Type"
          name="channel-type"
          value={d.type}
          options={TYPES}
          disabled={channel !== undefined}
          onValue={(type) => set({ type, target: "" })}
        />
        <TextField
          label={label}
          name="channel-target"
          required={!(channel && isWeb(d.type))}
          placeholder={channel && isWeb(d.type) ? "(set, hidden: empty keeps it)" : ""}
          value={d.target}
          onValue={(target) => set({ target })}
        />
        {d.type === "email" && (
          <>
            <TextField label="From" name="channel-from" value={d.from} onValue={(from) => set({ from })} />
            <TextField
              label="SMTP host"
              name="channel-smtp"
              value={d.smtpHost}
              onValue={(smtpHost) => set({ smtpHost })}
            />
            <TextField
              label="SMTP port"
              name="channel-smtp-port"
              type="number"
              value={d.smtpPort}
              onValue={(smtpPort) => set({ smtpPort })}
            />
          </>
        )}
        {d.type === "mqtt" && (
          <TextField
            label="Broker URL"
            name="channel-mqtt-url"
            value={d.mqttUrl}
            onValue={(mqttUrl) => set({ mqttUrl })}
          />
        )}
        <SelectField
          label="Lowest severity"
          name="channel-severity"
          value={d.minSeverity}
          options={SEVERITIES}
          onValue={(minSeverity) => set({ minSeverity })}
        />
        <TextField
          label="Sites (comma-separated)"
          name="channel-sites"
          placeholder="all"
          value={d.sites}
          onValue={(sites) => set({ sites })}
        />
      </div>
      <div className="form-grid">
        <TextField
          label="Quiet from"
          name="channel-quiet-start"
          type="time"
          value={d.quietStart}
          onValue={(quietStart) => set({ quietStart })}
        />
        <TextField
          label="Quiet until"
          name="channel-quiet-end"
          type="time"
          value={d.quietEnd}
          onValue={(quietEnd) => set({ quietEnd })}
        />
        <TextField
          label="Quiet hours time zone"
          name="channel-quiet-zone"
          placeholder="the alert's site"
          hint="e.g. Europe/Berlin; empty: the site's zone, else UTC"
          value={d.quietZone}
          onValue={(quietZone) => set({ quietZone })}
        />
        {NUMBERS.map((n) => (
          <TextField
            key={n.key}
            label={n.label}
            name={n.name}
            type="number"
            min={n.min}
            value={d[n.key]}
            onValue={(v) => set({ [n.key]: v })}
          />
        ))}
      </div>
      <label>
        <input
          name="channel-enabled"
          type="checkbox"
          checked={d.enabled}
          onChange={(e) => set({ enabled: e.target.checked })}
        />{" "}
        Enabled
      </label>
      <div className="row-actions">
        <Button variant="primary" type="submit" id="channel-save">
          {channel ? "Save channel" : "Add channel"}
        </Button>
        {onCancel && <Button onClick={onCancel}>Cancel</Button>}
      </div>
    </form>
  );
}
