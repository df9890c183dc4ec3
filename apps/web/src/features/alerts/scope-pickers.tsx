import { useState } from "react";
import { MultiPicker } from "../../components/ui/multi-picker.tsx";
import { siteOptions } from "../../lib/site-options.ts";
import { useEndpoint } from "../../lib/use-api.ts";

/** What each scope picker takes: its id and label, the chosen values and where changes go. */
interface PickerProps {
  id: string;
  label: string;
  value: readonly string[];
  onChange: (value: string[]) => void;
}

const devicesHint = (n: number) => `${n} device${n === 1 ? "" : "s"}`;

/** Sites by name, from GET /sites. */
export function SitePicker(props: PickerProps) {
  const sites = useEndpoint("GET /sites", { query: { limit: 1000 } });
  const options = sites.data && siteOptions(sites.data.sites);
  return <MultiPicker {...props} options={options} loading={sites.loading} error={sites.error} />;
}

/** Segments in use, with their device counts (GET /devices/segments). */
export function SegmentPicker(props: PickerProps) {
  const segments = useEndpoint("GET /devices/segments", {});
  const options = segments.data?.segments.map((s) => ({ value: s.segment, hint: devicesHint(s.device_count) }));
  return <MultiPicker {...props} options={options} loading={segments.loading} error={segments.error} />;
}

/** Tags in use, with their device counts (GET /devices/tags). */
export function TagPicker(props: PickerProps) {
  const tags = useEndpoint("GET /devices/tags", {});
  const options = tags.data?.tags.map((t) => ({ value: t.tag, hint: devicesHint(t.device_count) }));
  return <MultiPicker {...props} options={options} loading={tags.loading} error={tags.error} />;
}

/** Devices searched on the server by id or name (a fleet is too long to load whole), with their site. */
export function DevicePicker(props: PickerProps) {
  const [search, setSearch] = useState("");
  const devices = useEndpoint("GET /devices", { query: { search: search.trim() || undefined, limit: 20 } });
  const options = devices.data?.devices.map((d) => ({
    value: d.device_id,
    label: d.name,
    hint: d.site_name ?? d.site_id,
  }));
  return (
    <MultiPicker {...props} options={options} onQuery={setSearch} loading={devices.loading} error={devices.error} />
  );
}

/** The scope fields of rules (and channels' sites), each with its picker. */
export const SCOPE_PICKERS = [
  { key: "site_ids", label: "Sites", Picker: SitePicker },
  { key: "segments", label: "Segments", Picker: SegmentPicker },
  { key: "tags", label: "Tags", Picker: TagPicker },
  { key: "device_ids", label: "Devices", Picker: DevicePicker },
] as const;
export type ScopeKey = (typeof SCOPE_PICKERS)[number]["key"];
