import { useState } from "react";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { Card, Empty, ErrorMessage, Select, Spinner, Tabs } from "../../components/ui/index.tsx";
import { plural } from "../../lib/format.ts";
import { useEndpoint } from "../../lib/use-api.ts";

type Type = "software" | "firmware";

const label = (v: { name: string | null; version: string | null }) =>
  v.version === null ? "no version reported" : `${v.name ?? "no release"} ${v.version}`;

/**
 * How many devices run each version (per release name), fleet-wide or for one site, as bars and as a list
 * (`GET /releases/versions`).
 */
export function VersionChart() {
  const [type, setType] = useState<Type>("software");
  const [site, setSite] = useState("");
  const state = useEndpoint("GET /releases/versions", { query: { release_type: type } }, { pollMs: 60_000 });
  const data = state.data?.data;
  const versions = site ? (data?.sites.find((s) => s.site_id === site)?.versions ?? []) : (data?.fleet ?? []);
  const rows = versions.map((v) => ({ label: label(v), devices: v.devices }));

  return (
    <Card
      title="Versions installed"
      id="version-distribution"
      actions={
        <div className="row">
          <Select id="version-site" aria-label="Site" value={site} onChange={(e) => setSite(e.target.value)}>
            <option value="">Whole fleet</option>
            {data?.sites.map((s) => (
              <option key={s.site_id} value={s.site_id}>
                {s.site_id}
              </option>
            ))}
          </Select>
          <Tabs idPrefix="version-type" value={type} onChange={setType} tabs={["software", "firmware"]} />
        </div>
      }
    >
      {state.error ? (
        <ErrorMessage error={state.error} what="The version distribution" />
      ) : !data ? (
        <Spinner />
      ) : rows.length === 0 ? (
        <Empty>No active devices{site ? " at this site" : ""}.</Empty>
      ) : (
        <>
          <div
            className="chart-box"
            id="version-chart"
            role="img"
            aria-label={`Devices per ${type} version${site ? ` at ${site}` : ""}`}
          >
            <ResponsiveContainer width="100%" height="100%">
              <BarChart data={rows} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
                <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
                <XAxis dataKey="label" stroke="var(--muted)" fontSize={12} interval={0} />
                <YAxis stroke="var(--muted)" fontSize={12} width={40} allowDecimals={false} />
                <Tooltip
                  contentStyle={{ background: "var(--panel)", border: "1px solid var(--border)", color: "var(--text)" }}
                />
                <Bar dataKey="devices" name="Devices" fill="var(--chart-1)" isAnimationActive={false} maxBarSize={48} />
              </BarChart>
            </ResponsiveContainer>
          </div>
          <ul className="muted" id="version-list">
            {rows.map((r) => (
              <li key={r.label}>
                {r.label}: {plural(r.devices, "device")}
              </li>
            ))}
          </ul>
        </>
      )}
    </Card>
  );
}
