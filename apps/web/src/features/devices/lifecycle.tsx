import { useState } from "react";
import { ActionButton } from "../../components/action-button.tsx";
import { Button, Card, ErrorMessage, Input, StatusBadge } from "../../components/ui/index.tsx";
import { del, post } from "../../lib/api.ts";
import { useCan } from "../../lib/auth.tsx";
import { formatDateTime, timeAgo } from "../../lib/format.ts";
import type { Device } from "../../lib/types.ts";
import { useAction } from "../../lib/use-action.ts";
import { useEndpoint } from "../../lib/use-api.ts";
import { OneTimeKey } from "./api-key-panel.tsx";
import { TargetSiteSelect } from "./target-site-select.tsx";

/** A device's health as the fleet counts it: "unknown" until its first report (its row says healthy by default). */
export const shownHealth = (d: { connectivity_state: string; health_state: string }) =>
  d.connectivity_state === "unknown" ? "unknown" : d.health_state;

/**
 * The three facts of a device and where it comes from, as badges: lifecycle (pending, active, suspended, unpaired;
 * "archived" when it was archived), connectivity (a heartbeat within 2 minutes), health and source.
 */
export function LifecycleBadges({ device: d }: { device: Device }) {
  return (
    <span className="badges" data-device={d.device_id}>
      <span title="Lifecycle" className="badge-lifecycle">
        <StatusBadge status={d.is_active ? d.lifecycle_state : "archived"} />
      </span>{" "}
      <span
        title={`Connectivity (last heartbeat ${formatDateTime(d.last_heartbeat_at)})`}
        className="badge-connectivity"
      >
        <StatusBadge status={d.connectivity_state} />
      </span>{" "}
      <span title="Health" className="badge-health">
        <StatusBadge status={shownHealth(d)} />
      </span>{" "}
      <span title="Data source" className="badge-source">
        <StatusBadge status={d.source} />
      </span>
    </span>
  );
}

/** The badges as one line of text (CSV export). */
export const lifecycleText = (d: Device) =>
  [d.is_active ? d.lifecycle_state : "archived", d.connectivity_state, shownHealth(d), d.source].join(" ");

/** `last heartbeat 3 min ago`, with the exact time on hover. */
export function LastHeartbeat({ at }: { at: string | null | undefined }) {
  return <span title={formatDateTime(at)}>{at ? timeAgo(at) : "never"}</span>;
}

const path = (deviceId: string) => `/devices/${encodeURIComponent(deviceId)}`;

/** Restore and (admins) purge for an archived device, in the Archived list. */
export function ArchivedDeviceActions({ device, onChanged }: { device: Device; onChanged: () => void }) {
  const canRestore = useCan("operator");
  const canPurge = useCan("admin");
  const action = useAction(onChanged);
  const id = device.device_id;
  if (!canRestore) return null;
  return (
    <span className="row-actions">
      <ActionButton
        className="device-restore"
        action={action}
        run={() => post(`${path(id)}/restore`)}
        confirm={`Restore device ${id}? It comes back suspended.`}
      >
        Restore
      </ActionButton>
      {canPurge && (
        <ActionButton
          className="device-purge"
          variant="danger"
          action={action}
          run={() => del(`${path(id)}?mode=purge&confirm=true`)}
          confirm={`Purge device ${id}? This deletes it and all its data for good.`}
        >
          Purge
        </ActionButton>
      )}
      <ErrorMessage error={action.error} what="This change" />
    </span>
  );
}

/** The transitions a button makes, from the states that allow it; each asks its question first. */
const TRANSITIONS: {
  name: string;
  label: string;
  from: string[];
  variant?: "primary" | "danger";
  question: (id: string) => string;
}[] = [
  {
    name: "suspend",
    label: "Suspend",
    from: ["active"],
    question: (id) => `Suspend ${id}? It keeps its key but every call it makes is refused.`,
  },
  { name: "resume", label: "Resume", from: ["suspended"], variant: "primary", question: (id) => `Resume ${id}?` },
  {
    name: "unpair",
    label: "Unpair",
    from: ["active", "suspended", "pending"],
    variant: "danger",
    question: (id) => `Unpair ${id}? Its key is revoked and its open commands cancelled.`,
  },
  {
    name: "reenrol",
    label: "Re-enrol",
    from: ["unpaired"],
    variant: "primary",
    question: (id) => `Re-enrol ${id}? It gets a new key and a new epoch.`,
  },
];

/**
 * The device page's lifecycle card: its badges and last heartbeat, the transitions its state allows (operators:
 * suspend, resume, unpair, re-enrol, transfer to another site, archive; each asks first, with an optional reason),
 * the key a re-enrolment or transfer issues (shown once) and the device's lifecycle events.
 */
export function LifecycleCard({
  device: d,
  onChanged,
  onArchived,
}: {
  device: Device;
  onChanged: () => void;
  /** The device left the lists: its page cannot show it any more. */
  onArchived: () => void;
}) {
  const canAct = useCan("operator");
  const events = useEndpoint("GET /devices/{device_id}/lifecycle", { params: { device_id: d.device_id } });
  const sites = useEndpoint("GET /sites", canAct ? { query: { limit: 1000 } } : null);
  const [reason, setReason] = useState("");
  const [target, setTarget] = useState("");
  const [key, setKey] = useState<string>();
  // Archiving takes the device off its page: no refresh (it would answer 404), the page moves on instead.
  const archive = useAction();
  const action = useAction(() => {
    onChanged();
    events.reload();
  });
  const id = d.device_id;
  const state = d.lifecycle_state;

  const transition = async (name: string, question: string, body: Record<string, unknown> = {}) => {
    const done = await action.run(
      async () => {
        const r = await post<{ api_key?: string }>(`${path(id)}/${name}`, {
          reason: reason.trim() || undefined,
          ...body,
        });
        if (r.api_key) setKey(r.api_key);
      },
      { confirm: question },
    );
    if (done) setReason("");
  };
  const others = (sites.data?.sites ?? []).filter((s) => s.site_id !== d.site_id);

  return (
    <Card title="Lifecycle" id="device-lifecycle">
      <dl className="props">
        <dt>State</dt>
        <dd>
          <LifecycleBadges device={d} />
        </dd>
        <dt>Last heartbeat</dt>
        <dd>
          <LastHeartbeat at={d.last_heartbeat_at} />
        </dd>
        <dt>Enrolled by</dt>
        <dd>{d.enrolment_method}</dd>
      </dl>
      {canAct && (
        <div className="form" id="lifecycle-actions">
          <Input
            id="lifecycle-reason"
            aria-label="Reason"
            placeholder="Reason (kept with the event)"
            value={reason}
            maxLength={500}
            onValue={setReason}
          />
          <div className="row">
            {TRANSITIONS.filter((t) => t.from.includes(state)).map((t) => (
              <Button
                key={t.name}
                id={`lifecycle-${t.name}`}
                variant={t.variant}
                disabled={action.pending}
                onClick={() => transition(t.name, t.question(id))}
              >
                {t.label}
              </Button>
            ))}
            <ActionButton
              id="lifecycle-archive"
              action={archive}
              disabled={action.pending}
              run={() => post(`${path(id)}/archive`, { reason: reason.trim() || undefined })}
              confirm={`Archive ${id}? It leaves the lists (data kept) and is suspended.`}
              onDone={onArchived}
            >
              Archive
            </ActionButton>
          </div>
          {state !== "unpaired" && (
            <div className="row">
              <TargetSiteSelect
                id="lifecycle-target"
                sites={others}
                value={target}
                onValue={setTarget}
                any="Transfer to site…"
              />
              <Button
                id="lifecycle-transfer"
                disabled={!target || action.pending}
                onClick={() =>
                  transition("transfer", `Transfer ${id} to ${target}? It gets a new key and a new epoch.`, {
                    target_site_id: target,
                  })
                }
              >
                Transfer
              </Button>
            </div>
          )}
          <ErrorMessage error={action.error ?? archive.error} what="This change" />
          {key && <OneTimeKey apiKey={key} deviceId={id} note="The old key no longer works." />}
        </div>
      )}
      <ul className="lifecycle-events" id="lifecycle-events">
        {(events.data?.events ?? []).map((e) => (
          <li key={e.id}>
            <span title={formatDateTime(e.timestamp)}>{timeAgo(e.timestamp)}</span> <strong>{e.action}</strong>{" "}
            {e.from_state} → {e.to_state} at {e.site_id} by {e.changed_by}
            {e.reason ? ` (${e.reason})` : ""}
          </li>
        ))}
      </ul>
    </Card>
  );
}
