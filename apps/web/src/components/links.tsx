import { Link } from "react-router";

/** A device's id (or another label) linking to its page, optionally at one tab. */
export function DeviceLink({ id, tab, children }: { id: string; tab?: string | undefined; children?: string }) {
  return <Link to={`/devices/${encodeURIComponent(id)}${tab ? `?tab=${tab}` : ""}`}>{children ?? id}</Link>;
}

/** A site's id (or another label) linking to its page. */
export function SiteLink({ id, children }: { id: string; children?: string }) {
  return <Link to={`/sites/${encodeURIComponent(id)}`}>{children ?? id}</Link>;
}
