import { Link } from "react-router";
import { Card, Loadable, StatusBadge } from "../../components/ui/index.tsx";
import { useAuth } from "../../lib/auth.tsx";
import { useEndpoint } from "../../lib/use-api.ts";

/** Where the signed-in user may act: platform admin, and their tenant and site memberships with the role in each. */
export function AccessCard() {
  const { user } = useAuth();
  const mine = useEndpoint("GET /tenants/me/memberships", {});
  return (
    <Card title="Your access" id="your-access">
      {user?.is_admin && (
        <p>
          <StatusBadge status="active" /> You are a <strong>platform admin</strong>: you see every tenant and manage
          tenants and users.
        </p>
      )}
      <Loadable state={mine} what="Your memberships">
        {(m) =>
          m.tenant_memberships.length + m.site_memberships.length === 0 ? (
            <p className="muted">
              {user?.is_admin ? "No memberships besides." : "You belong to no tenant or site yet."}
            </p>
          ) : (
            <ul id="access-list">
              {m.tenant_memberships.map((t) => (
                <li key={`t${t.id}`} data-tenant={t.tenant_slug}>
                  {t.role} in tenant{" "}
                  {user?.is_admin || t.role === "admin" ? (
                    <Link to={`/tenants/${t.tenant_id}`}>{t.tenant_name}</Link>
                  ) : (
                    t.tenant_name
                  )}{" "}
                  (all its sites)
                </li>
              ))}
              {m.site_memberships.map((s) => (
                <li key={`s${s.id}`} data-site={s.site_code}>
                  {s.role} at site <Link to={`/sites/${encodeURIComponent(s.site_code)}`}>{s.site_name}</Link>{" "}
                  <span className="mono muted">{s.site_code}</span>
                </li>
              ))}
            </ul>
          )
        }
      </Loadable>
    </Card>
  );
}
