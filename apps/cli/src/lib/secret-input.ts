import { createInterface } from "node:readline";
import { CliError } from "./cli-error.ts";

/**
 * A password typed at a prompt (not echoed) when stdin is a terminal, else the first line of stdin
 * (`echo "$PW" | homepot user create …`). Never argv: other users see a command line in `ps`.
 */
export async function readSecret(prompt: string, options: { confirm?: boolean } = {}): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    let text = "";
    for await (const chunk of stdin) {
      text += String(chunk);
      if (text.includes("\n") || text.length > 4096) break;
    }
    const line = text.split(/\r?\n/)[0] ?? "";
    if (!line) throw new CliError("no password on stdin (give it on the first line, or run in a terminal)", 2);
    return line;
  }
  const first = await promptHidden(prompt);
  if (options.confirm && (await promptHidden("Again: ")) !== first) throw new CliError("the passwords differ", 2);
  return first;
}

function promptHidden(prompt: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    // Print the prompt, then nothing of what is typed.
    const muted = rl as unknown as { _writeToOutput(text: string): void };
    process.stderr.write(prompt);
    muted._writeToOutput = () => {};
    rl.question("", (answer) => {
      rl.close();
      process.stderr.write("\n");
      resolve(answer);
    });
  });
}
