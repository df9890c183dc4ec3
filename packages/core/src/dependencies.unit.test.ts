import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The domains depend on each other one way: no import cycle between files, and none between domain folders
// (a folder that imports another may not be imported back by it, directly or through a third).
const root = dirname(fileURLToPath(import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !/\.test\.ts$/.test(name) ? [path] : [];
  });
}

/** The files a file imports (relative imports and @homepot/core/…), as absolute paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const targets: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"/gm)) {
    const spec = m[1] as string;
    if (spec.startsWith(".")) targets.push(resolve(dirname(file), spec));
    else if (spec.startsWith("@homepot/core/")) targets.push(join(root, `${spec.slice("@homepot/core/".length)}.ts`));
  }
  return targets;
}

/** A cycle in the graph as the list of its nodes, or undefined. */
function findCycle(graph: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === "done") return undefined;
    if (state.get(node) === "open") return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, "open");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(node, "done");
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

const files = sourceFiles(root);
const domainOf = (file: string) => {
  const parts = relative(root, file).split(sep);
  return parts.length > 1 ? parts[0] : undefined;
};

describe("packages/core dependencies", () => {
  it("no file imports itself through a cycle", () => {
    const graph = new Map(files.map((f) => [relative(root, f), new Set(importsOf(f).map((t) => relative(root, t)))]));
    expect(findCycle(graph)).toBeUndefined();
  });

  it("domain folders import each other one way only", () => {
    const graph = new Map<string, Set<string>>();
    for (const file of files) {
      const from = domainOf(file);
      if (!from) continue;
      for (const target of importsOf(file)) {
        const to = domainOf(target);
        if (to && to !== from) graph.set(from, (graph.get(from) ?? new Set()).add(to));
      }
    }
    expect(graph.size).toBeGreaterThan(5);
    expect(findCycle(graph)).toBeUndefined();
  });
});
