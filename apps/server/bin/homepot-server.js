#!/usr/bin/env -S node --max-semi-space-size=64
// Runs the TypeScript sources directly (tsx), so there is no separate build step for the server.
// The shebang carries the flags of src/node-flags.ts (npm start and npm run dev pass them too).
import { register } from "tsx/esm/api";

register();
await import("../src/main.ts");
