import { Suspense, useEffect } from "react";
import { NavLink, Outlet, useLocation, useNavigate } from "react-router";
import { useAuth } from "../lib/auth.tsx";
import { useTheme } from "../lib/theme.ts";
import { tracker } from "../lib/tracking.ts";
import { Button, Spinner } from "./ui/index.tsx";

const NAV = [
  { to: "/", label: "Overview", id: "nav-overview", end: true },
  { to: "/sites", label: "Sites", id: "nav-sites" },
  { to: "/devices", label: "Devices", id: "nav-devices" },
  { to: "/jobs", label: "Jobs", id: "nav-jobs" },
  { to: "/insights", label: "Insights", id: "nav-insights" },
  { to: "/analytics", label: "Analytics", id: "nav-analytics" },
  { to: "/data", label: "Data collection", id: "nav-data" },
];

/** Records a page view per route for the tracking module. */
export function usePageViews(): void {
  const location = useLocation();
  useEffect(() => {
    tracker.pageView(location.pathname, document.title);
  }, [location.pathname]);
}

/** g then a letter jumps to a section (g o, g s, g d, g j, g i, g a, g c). */
function useKeyboardNav(): void {
  const navigate = useNavigate();
  useEffect(() => {
    let armed = 0;
    const keys: Record<string, string> = {
      o: "/",
      s: "/sites",
      d: "/devices",
      j: "/jobs",
      i: "/insights",
      a: "/analytics",
      c: "/data",
      p: "/profile",
    };
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable))
        return;
      if (e.metaKey || e.ctrlKey || e.altKey) return;
      if (e.key === "/") {
        const search = document.querySelector<HTMLInputElement>("input[type=search]");
        if (search) {
          e.preventDefault();
          search.focus();
        }
        return;
      }
      if (e.key === "g") {
        armed = Date.now();
        return;
      }
      const to = keys[e.key];
      if (to && Date.now() - armed < 1500) {
        armed = 0;
        navigate(to);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [navigate]);
}

export function Layout() {
  const { user, logout } = useAuth();
  const [theme, toggleTheme] = useTheme();
  const navigate = useNavigate();
  usePageViews();
  useKeyboardNav();

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className="sidebar">
        <div className="brand">
          <span className="brand-dot" aria-hidden /> HOMEPOT
        </div>
        <nav aria-label="Main">
          {NAV.map((item) => (
            <NavLink
              key={item.to}
              to={item.to}
              end={item.end}
              id={item.id}
              className={({ isActive }) => `nav-link ${isActive ? "active" : ""}`}
            >
              {item.label}
            </NavLink>
          ))}
        </nav>
        <div className="sidebar-footer muted">
          <small>
            Keys: <kbd>g</kbd> then <kbd>o</kbd>/<kbd>s</kbd>/<kbd>d</kbd>/<kbd>j</kbd>, <kbd>/</kbd> search
          </small>
        </div>
      </aside>
      <div className="main-col">
        <header className="topbar">
          <div />
          <div className="topbar-actions">
            <Button
              id="theme-toggle"
              variant="ghost"
              onClick={toggleTheme}
              aria-label={`Switch to ${theme === "dark" ? "light" : "dark"} theme`}
            >
              {theme === "dark" ? "☀ Light" : "☾ Dark"}
            </Button>
            <NavLink to="/profile" id="nav-profile" className="nav-user">
              {user?.username} <span className="badge badge-info">{user?.role}</span>
            </NavLink>
            <Button
              id="logout-button"
              variant="ghost"
              onClick={async () => {
                await logout();
                navigate("/login");
              }}
            >
              Log out
            </Button>
          </div>
        </header>
        <main id="main" tabIndex={-1}>
          <Suspense fallback={<Spinner />}>
            <Outlet />
          </Suspense>
        </main>
      </div>
    </div>
  );
}
