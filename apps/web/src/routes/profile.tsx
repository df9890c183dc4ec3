import { Card, PageHeader, StatusBadge } from "../components/ui/index.tsx";
import { AccessCard } from "../features/profile/access-card.tsx";
import { ApiTokensCard } from "../features/profile/api-tokens-card.tsx";
import { SessionsCard } from "../features/profile/sessions-card.tsx";
import { useAuth } from "../lib/auth.tsx";
import { formatDateTime } from "../lib/format.ts";

export default function ProfilePage() {
  const { user } = useAuth();
  if (!user) return null;
  return (
    <>
      <PageHeader title="Profile" subtitle="Your account on this HOMEPOT server" />
      <Card title="Account">
        <dl className="props">
          <dt>Username</dt>
          <dd>{user.username}</dd>
          <dt>Email</dt>
          <dd>{user.email}</dd>
          <dt>Full name</dt>
          <dd>{user.full_name ?? "—"}</dd>
          <dt>Role</dt>
          <dd>
            <StatusBadge status={user.role} />
          </dd>
          <dt>Active</dt>
          <dd>{user.is_active ? "yes" : "no"}</dd>
          <dt>Member since</dt>
          <dd>{formatDateTime(user.created_at)}</dd>
          <dt>Last sign-in</dt>
          <dd>{formatDateTime(user.last_login_at)}</dd>
        </dl>
      </Card>
      <AccessCard />
      <Card title="What each role can do">
        <ul>
          <li>Installers see the sites and devices they belong to and onboard devices there, nothing else.</li>
          <li>Viewers see the fleet, sites, devices, jobs and insights.</li>
          <li>Operators also register devices, send commands, edit schedules, run jobs and read their analytics.</li>
          <li>Admins also manage their tenant's or site's members.</li>
          <li>Platform admins see every tenant and manage tenants, users and the platform-wide logs.</li>
        </ul>
      </Card>
      <SessionsCard />
      <ApiTokensCard />
    </>
  );
}
