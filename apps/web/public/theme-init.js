// Applies the saved theme before first paint so there is no flash (loaded blocking from index.html).
try {
  const theme = localStorage.getItem("homepot.theme");
  if (theme) document.documentElement.dataset.theme = theme;
} catch {
  // Storage can be unavailable (privacy mode); the default theme applies.
}
