import { existsSync, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import type { PermissionKey } from "@homepot/contracts/permissions";

/** An operator's request for one grant, as the device's owner sees it. */
export interface ConsentRequest {
  permission: PermissionKey;
  reason: string | null;
  commandId: string;
}

/** The owner's answer: grant (true), refuse (false), or no answer now (null: the request stays pending). */
export type ConsentAsker = (request: ConsentRequest) => Promise<boolean | null>;

/**
 * Asks the person at the device (`--consent prompt`): one question per request on `output`, answered y/yes or n/no
 * on `input`; no answer within `timeoutMs` (or the input closing) leaves the request pending. Requests are asked
 * one at a time.
 */
export function promptAsker(
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  timeoutMs = 120_000,
): ConsentAsker {
  let chain: Promise<unknown> = Promise.resolve();
  const ask = (request: ConsentRequest) =>
    new Promise<boolean | null>((resolve) => {
      const rl = createInterface({ input, output, terminal: false });
      let done = false;
      const finish = (answer: boolean | null) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        rl.close();
        resolve(answer);
      };
      const timer = setTimeout(() => {
        output.write("\n(no answer: the request stays pending; `homepot-agent permissions grant` answers it later)\n");
        finish(null);
      }, timeoutMs);
      rl.on("close", () => finish(null));
      const question = () =>
        output.write(
          `\nAn operator asks for ${request.permission} on this device${request.reason ? ` (${request.reason})` : ""}. Grant it? [y/n] `,
        );
      rl.on("line", (line) => {
        const a = line.trim().toLowerCase();
        if (a === "y" || a === "yes") finish(true);
        else if (a === "n" || a === "no") finish(false);
        else question();
      });
      question();
    });
  return (request) => {
    const next = chain.then(() => ask(request));
    chain = next.catch(() => undefined);
    return next;
  };
}

/**
 * The owner's standing answers in a file (`--consent-file`), read at each request so an edit applies at once:
 * `{"grant": ["command_execution"], "deny": ["root_access"]}`. A permission in neither list stays pending; a
 * missing or broken file answers nothing.
 */
export function fileAsker(file: string): ConsentAsker {
  return async (request) => {
    if (!existsSync(file)) return null;
    let policy: { grant?: unknown; deny?: unknown };
    try {
      policy = JSON.parse(readFileSync(file, "utf8")) as typeof policy;
    } catch {
      return null;
    }
    const has = (list: unknown) => Array.isArray(list) && list.includes(request.permission);
    if (has(policy.deny)) return false;
    if (has(policy.grant)) return true;
    return null;
  };
}
