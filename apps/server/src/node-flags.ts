/**
 * The Node.js flags the server runs with (`npm start`, `npm run dev` and the `homepot-server` shebang spell them out;
 * bench/ starts the app with these). A 64 MB young generation: under ingest load every request's objects live until
 * its group commit, so the default 16 MB semi-space scavenged every ~60 ms while they were still alive, copying and
 * promoting them; with room for a few hundred ms of requests most die young. Costs at most ~100 MB more RSS under load.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=64"];
