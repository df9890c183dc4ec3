import { Link } from "react-router";
import { useCan } from "../../lib/auth.tsx";
import { useEndpoint } from "../../lib/use-api.ts";

/**
 * "3 open alerts (1 critical)" for a device or site, linking to the Alerts page; nothing while there are none, nor for
 * an installer (who may not read alerts).
 */
export function AlertCount({ deviceId, siteId }: { deviceId?: string; siteId?: string }) {
  const canRead = useCan("viewer");
  const counts = useEndpoint(
    "GET /alerts/counts",
    canRead ? { query: { device_id: deviceId, site_id: siteId } } : null,
    { pollMs: 30_000 },
  );
  const c = counts.data?.data;
  if (!c || c.open + c.acknowledged === 0) return null;
  const n = c.open + c.acknowledged;
  return (
    <Link to="/alerts" className={`badge ${c.critical ? "badge-bad" : "badge-warn"}`} id="alert-count">
      {n} active alert{n === 1 ? "" : "s"}
      {c.critical ? ` (${c.critical} critical)` : ""}
    </Link>
  );
}
