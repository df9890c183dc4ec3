import { Card } from "../../components/ui/index.tsx";
import { formatDateTime } from "../../lib/format.ts";
import type { Device } from "../../lib/types.ts";

/** One glyph per OS family (an icon font would be one more download for five symbols). */
const OS_ICON: Record<string, string> = {
  linux: "🐧",
  windows: "🪟",
  macos: "🍎",
  android: "🤖",
  ios: "📱",
  other: "💻",
};

export function OsIcon({ family }: { family: string | null | undefined }) {
  const f = family ?? "unknown";
  return (
    <span className="os-icon" role="img" aria-label={f} title={f} data-os={f}>
      {OS_ICON[f] ?? "❔"}
    </span>
  );
}

/** What the device reported about itself (POST /agent/device-dna): network, OS, hardware, peripherals. */
export function DeviceDnaCard({ device: d }: { device: Device }) {
  const printers = (d.peripherals as { printers?: Array<{ name?: string }> } | null)?.printers ?? [];
  const hw = d.hardware ?? {};
  return (
    <Card title="Device DNA" id="device-dna">
      {d.dna_updated_at === null ? (
        <p className="muted">This device has not reported its DNA yet (its agent sends it at start).</p>
      ) : (
        <dl className="props">
          <dt>OS</dt>
          <dd>
            <OsIcon family={d.os_family} /> {d.os_details ?? d.os_family ?? "—"}
          </dd>
          <dt>MAC address</dt>
          <dd className="mono">{d.mac_address ?? "—"}</dd>
          <dt>Local / WAN IP</dt>
          <dd className="mono">
            {d.local_ip ?? "—"} / {d.wan_ip ?? "—"}
          </dd>
          <dt>Hardware</dt>
          <dd>{[d.hardware_vendor, d.hardware_model].filter(Boolean).join(" ") || "—"}</dd>
          <dt>CPU / memory</dt>
          <dd>
            {String(hw.cpu ?? "—")}
            {typeof hw.memory_mb === "number" ? ` · ${Math.round(hw.memory_mb / 1024)} GB` : ""}
          </dd>
          <dt>Printers</dt>
          <dd>{printers.length ? printers.map((p) => p.name).join(", ") : "none found"}</dd>
          <dt>Agent</dt>
          <dd>{d.agent_version ?? "—"}</dd>
          <dt>Machine identity</dt>
          <dd className="mono">{d.machine_id ?? "—"}</dd>
          <dt>Reported</dt>
          <dd>{formatDateTime(d.dna_updated_at)}</dd>
        </dl>
      )}
    </Card>
  );
}

/** A site's OS mix: "🐧 3 · 🪟 1". */
export function OsMix({ mix }: { mix: Record<string, number> | undefined }) {
  const entries = Object.entries(mix ?? {}).sort((a, b) => b[1] - a[1]);
  if (entries.length === 0) return <>—</>;
  return (
    <span className="os-mix">
      {entries.map(([family, n], i) => (
        <span key={family}>
          {i > 0 ? " · " : ""}
          <OsIcon family={family} /> {n}
        </span>
      ))}
    </span>
  );
}
