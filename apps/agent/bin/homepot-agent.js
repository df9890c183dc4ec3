#!/usr/bin/env node
// Runs the TypeScript agent through tsx (no build step), from any working directory.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/main.ts");
process.exitCode = await main(process.argv.slice(2));
