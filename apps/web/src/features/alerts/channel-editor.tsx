import type { ChannelSchema, CreateChannelBody } from "@homepot/contracts/notifications";
import type { FormEvent } from "react";
import type { z } from "zod";
import {
  commaList,
  type DraftField,
  DraftFields,
  EditorActions,
  type EditorProps,
  useDraft,
} from "../../components/ui/draft-form.tsx";
import { SelectField, TextField } from "../../components/ui/index.tsx";
import { SitePicker } from "./scope-pickers.tsx";
import { type Severity, SeverityField } from "./severity-field.tsx";

export type ChannelBody = z.input<typeof CreateChannelBody>;
type Channel = z.infer<typeof ChannelSchema>;

const TYPES = ["webhook", "slack", "teams", "email", "mqtt"] as const;
type Type = (typeof TYPES)[number];
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
  minSeverity: Severity;
  sites: string[];
  quietStart: string;
  quietEnd: string;
  timezone: string;
  digest: string;
  escalate: string;
  attempts: string;
}

type Text = Exclude<keyof Draft, "type" | "enabled" | "minSeverity" | "sites">;
const EMAIL_FIELDS: DraftField<Text>[] = [
  { key: "from", name: "channel-from", label: "From" },
  { key: "smtpHost", name: "channel-smtp", label: "SMTP host" },
  { key: "smtpPort", name: "channel-smtp-port", label: "SMTP port", type: "number" },
];
const MQTT_FIELDS: DraftField<Text>[] = [{ key: "mqttUrl", name: "channel-mqtt-url", label: "Broker URL" }];
/** When and how it delivers: its clock, quiet hours, digest, escalation, retries. */
const DELIVERY_FIELDS: DraftField<Text>[] = [
  {
    key: "timezone",
    name: "channel-timezone",
    label: "Time zone",
    placeholder: "the alert's site",
    hint: "quiet hours and digest times, e.g. Europe/Berlin; empty: the site's zone, else UTC",
  },
  { key: "quietStart", name: "channel-quiet-start", label: "Quiet from", type: "time" },
  { key: "quietEnd", name: "channel-quiet-end", label: "Quiet until", type: "time" },
  { key: "digest", name: "channel-digest", label: "Digest every (min, 0 = off)", type: "number", min: 0 },
  { key: "escalate", name: "channel-escalate", label: "Escalate after (min, 0 = off)", type: "number", min: 0 },
  { key: "attempts", name: "channel-attempts", label: "Attempts before dead-letter", type: "number", min: 1 },
];

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
    sites: ch?.site_ids ?? [],
    quietStart: ch?.quiet_hours?.start ?? "",
    quietEnd: ch?.quiet_hours?.end ?? "",
    timezone: ch?.timezone ?? "",
    digest: String(ch?.digest_minutes ?? 0),
    escalate: String(ch?.escalate_after_minutes ?? 0),
    attempts: String(ch?.max_attempts ?? 5),
  };
}

function bodyOf(d: Draft, editing: boolean): ChannelBody {
  const settings =
    d.type === "email"
      ? { to: commaList(d.target), from: d.from, smtp_host: d.smtpHost || "127.0.0.1", smtp_port: Number(d.smtpPort) }
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
    site_ids: d.sites,
    quiet_hours: d.quietStart && d.quietEnd ? { start: d.quietStart, end: d.quietEnd } : null,
    timezone: d.timezone.trim() || null,
    digest_minutes: Number(d.digest),
    escalate_after_minutes: Number(d.escalate),
    max_attempts: Number(d.attempts),
  };
}

/**
 * Adds a notification channel or edits one: where it sends (secrets are write-only: left empty on edit they are
 * kept), which alerts (lowest severity, sites), its time zone, quiet hours, digest, escalation and retries.
 */
export function ChannelEditor({ channel, onSave, onCancel }: EditorProps<ChannelBody> & { channel?: Channel }) {
  const { draft: d, set, save } = useDraft(channel, draftOf, onSave);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save(bodyOf(d, channel !== undefined));
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
        {d.type === "email" && <DraftFields fields={EMAIL_FIELDS} draft={d} set={set} />}
        {d.type === "mqtt" && <DraftFields fields={MQTT_FIELDS} draft={d} set={set} />}
        <SeverityField
          label="Lowest severity"
          name="channel-severity"
          value={d.minSeverity}
          onValue={(minSeverity) => set({ minSeverity })}
        />
        <SitePicker id="channel-sites" label="Sites" value={d.sites} onChange={(sites) => set({ sites })} />
      </div>
      <div className="form-grid">
        <DraftFields fields={DELIVERY_FIELDS} draft={d} set={set} />
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
      <EditorActions id="channel-save" label={channel ? "Save channel" : "Add channel"} onCancel={onCancel} />
    </form>
  );
}
