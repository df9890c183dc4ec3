// Applies the theme before first paint so there is no flash (loaded blocking from index.html): the saved choice,
// else the system's. The stylesheet keys its dark colours on data-theme alone.
let saved = null;
try {
  saved = localStorage.getItem("homepot.theme");
} catch {
  // Storage can be unavailable (privacy mode); the system's theme applies.
}
const systemDark = window.matchMedia?.("(prefers-color-scheme: dark)").matches;
document.documentElement.dataset.theme = saved === "light" || saved === "dark" ? saved : systemDark ? "dark" : "light";
