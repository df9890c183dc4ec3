import { lazy, type ReactNode, Suspense } from "react";
import { createBrowserRouter, Navigate, RouterProvider, useLocation } from "react-router";
import { Layout, usePageViews } from "./components/layout.tsx";
import { RequireRole } from "./components/require-role.tsx";
import { Spinner } from "./components/ui/index.tsx";
import { AuthProvider, type Need, useAuth } from "./lib/auth.tsx";

// Every page is its own chunk: the first load only fetches the shell and the page it opens.
const Login = lazy(() => import("./routes/login.tsx"));
const Signup = lazy(() => import("./routes/signup.tsx"));
const Overview = lazy(() => import("./routes/overview.tsx"));
const Profile = lazy(() => import("./routes/profile.tsx"));
const NotFound = lazy(() => import("./routes/not-found.tsx"));
const Sites = lazy(() => import("./routes/sites.tsx"));
const SiteDetail = lazy(() => import("./routes/site-detail.tsx"));
const Devices = lazy(() => import("./routes/devices.tsx"));
const Agents = lazy(() => import("./routes/agents.tsx"));
const DeviceDetail = lazy(() => import("./routes/device-detail.tsx"));
const Jobs = lazy(() => import("./routes/jobs.tsx"));
const NewJob = lazy(() => import("./routes/job-new.tsx"));
const JobDetail = lazy(() => import("./routes/job-detail.tsx"));
const Analytics = lazy(() => import("./routes/analytics.tsx"));
const DataCollection = lazy(() => import("./routes/data.tsx"));
const Insights = lazy(() => import("./routes/insights.tsx"));
const Alerts = lazy(() => import("./routes/alerts.tsx"));
const Commands = lazy(() => import("./routes/commands.tsx"));
const Releases = lazy(() => import("./routes/releases.tsx"));
const NewRelease = lazy(() => import("./routes/release-new.tsx"));
const ReleaseDetail = lazy(() => import("./routes/release-detail.tsx"));
const Users = lazy(() => import("./routes/users.tsx"));
const Tenants = lazy(() => import("./routes/tenants.tsx"));
const TenantDetail = lazy(() => import("./routes/tenant-detail.tsx"));

function RequireAuth({ children }: { children: ReactNode }) {
  const { user, checking } = useAuth();
  const location = useLocation();
  if (checking) return <Spinner label="Checking your session" />;
  if (!user) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return <>{children}</>;
}

/** A page only those with `least` may open (see RequireRole). */
function guarded(path: string, least: Need, title: string, element: ReactNode) {
  return {
    path,
    element: (
      <RequireRole least={least} title={title}>
        {element}
      </RequireRole>
    ),
  };
}

/** The Overview; an installer, who may not read it, starts on the devices of their sites. */
function Home() {
  const { user } = useAuth();
  if (user?.role === "installer") return <Navigate to="/devices" replace />;
  return <Overview />;
}

function PublicPage({ children }: { children: ReactNode }) {
  usePageViews();
  return <Suspense fallback={<Spinner />}>{children}</Suspense>;
}

const router = createBrowserRouter([
  {
    path: "/login",
    element: (
      <PublicPage>
        <Login />
      </PublicPage>
    ),
  },
  {
    path: "/signup",
    element: (
      <PublicPage>
        <Signup />
      </PublicPage>
    ),
  },
  {
    path: "/",
    element: (
      <RequireAuth>
        <Layout />
      </RequireAuth>
    ),
    children: [
      { index: true, element: <Home /> },
      { path: "profile", element: <Profile /> },
      { path: "sites", element: <Sites /> },
      { path: "sites/:siteId", element: <SiteDetail /> },
      { path: "devices", element: <Devices /> },
      { path: "devices/:deviceId", element: <DeviceDetail /> },
      guarded("jobs", "viewer", "Jobs", <Jobs />),
      guarded("jobs/new", "operator", "New job", <NewJob />),
      guarded("jobs/:jobId", "viewer", "Job", <JobDetail />),
      guarded("analytics", "analyze", "Analytics", <Analytics />),
      guarded("data", "platform", "Data collection", <DataCollection />),
      guarded("agents", "viewer", "Agents", <Agents />),
      guarded("insights", "viewer", "Insights", <Insights />),
      guarded("alerts", "viewer", "Alerts", <Alerts />),
      guarded("commands", "viewer", "Commands", <Commands />),
      guarded("releases", "viewer", "Releases", <Releases />),
      guarded("releases/new", "operator", "Upload a release", <NewRelease />),
      guarded("releases/:releaseId", "viewer", "Release", <ReleaseDetail />),
      guarded("tenants", "admin", "Tenants", <Tenants />),
      guarded("tenants/:tenantId", "admin", "Tenant", <TenantDetail />),
      guarded("users", "platform", "Users", <Users />),
      { path: "*", element: <NotFound /> },
    ],
  },
]);

export function App() {
  return (
    <AuthProvider>
      <RouterProvider router={router} />
    </AuthProvider>
  );
}
