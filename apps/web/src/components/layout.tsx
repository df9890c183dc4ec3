import { Suspense, useEffect, useMemo } from "react";
import { NavLink, Outlet, useLocation, useNavigate } from "react-router";
import { hasRole, type Need, useAuth } from "../lib/auth.tsx";
import { useTheme } from "../lib/theme.ts";
import { tracker } from "../lib/tracking.ts";
import { Button, Spinner } from "./ui/index.tsx";

/**
 * The sidebar; each link's id is `nav-` and its path (`nav-overview` for /), and `need` is what opening the page
 * takes (app.tsx guards the same pages).
 */
const NAV: { to: string; label: string; key: string; need: Need; end?: boolean }[] = [
  { to: "/", label: "Overview", key: "o", need: "viewer", end: true },
  { to: "/sites", label: "Sites", key: "s", need: "inventory" },
  { to: "/devices", label: "Devices", key: "d", need: "inventory" },
  { to: "/agents", label: "Agents", key: "t", need: "viewer" },
  { to: "/jobs", label: "Jobs", key: "j", need: "viewer" },
  { to: "/insights", label: "Insights", key: "i", need: "viewer" },
  { to: "/alerts", label: "Alerts", key: "l", need: "viewer" },
  { to: "/commands", label: "Commands", key: "m", need: "viewer" },
  { to: "/releases", label: "Releases", key: "r", need: "viewer" },
  { to: "/analytics", label: "Analytics", key: "a", need: "analyze" },
  { to: "/data", label: "Data collection", key: "c", need: "platform" },
  { to: "/tenants", label: "Tenants", key: "e", need: "admin" },
  { to: "/users", label: "Users", key: "u", need: "platform" },
];

/** Records a page view per route for the tracking module. */
export function usePageViews(): void {
  const location = useLocation();
  useEffect(() => {
    tracker.pageView(location.pathname, document.title);
  }, [location.pathname]);
}

/** g then a letter jumps to a section the user may open (g o, g s, g d, g j, g i, g a, g c, g p). */
function useKeyboardNav(items: typeof NAV): void {
  const navigate = useNavigate();
  useEffect(() => {
    let armed = 0;
    const keys: Record<string, string> = { p: "/profile" };
    for (const item of items) keys[item.key] = item.to;
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable))
        return;
      if (e.metaKey || e.ctrlKey || e.altKey) return;
      if (e.key === "/") {
        // The page's own search box, or, on a page without one, the device search.
        e.preventDefault();
        const search = document.querySelector<HTMLInputElement>("main input[type=search]");
        if (search) search.focus();
        else navigate("/devices", { state: { focusSearch: true } });
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
  }, [navigate, items]);
}

export function Layout() {
  const { user, logout } = useAuth();
  const [theme, toggleTheme] = useTheme();
  const navigate = useNavigate();
  const nav = useMemo(() => NAV.filter((item) => hasRole(user, item.need)), [user]);
  usePageViews();
  useKeyboardNav(nav);

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
          {nav.map((item) => (
            <NavLink
              key={item.to}
              to={item.to}
              end={item.end}
              id={`nav-${item.to.slice(1) || "overview"}`}
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
