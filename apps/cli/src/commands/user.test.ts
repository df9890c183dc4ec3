import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, useCliDatabase } from "../testing.ts";

/** `homepot user …` (issue 20 §2): passwords from stdin or a prompt, never only argv; admin chores from a shell. */
let env: Awaited<ReturnType<typeof useCliDatabase>>;
beforeAll(async () => {
  env = await useCliDatabase();
});
afterAll(async () => env.cleanup());

/** Runs the CLI with `input` as its (non-terminal) stdin. */
async function withStdin(input: string, argv: string[]) {
  const original = Object.getOwnPropertyDescriptor(process, "stdin");
  Object.defineProperty(process, "stdin", { value: Readable.from([input]), configurable: true });
  try {
    return await runCli(argv);
  } finally {
    if (original) Object.defineProperty(process, "stdin", original);
  }
}
const json = (res: { code: number; stdout: string; stderr: string }) => {
  expect(res.code, res.stderr).toBe(0);
  return JSON.parse(res.stdout);
};

// Each run opens the database as the real CLI does: allow for a slow embedded start.
const SLOW = { timeout: 120_000 };

describe("homepot user", () => {
  it(
    "creates an admin with the password read from stdin; list, set-role, disable/enable by e-mail or name",
    SLOW,
    async () => {
      const admin = json(
        await withStdin("first-admin-pass\n", [
          "user",
          "create",
          "--email",
          "root@example.com",
          "--role",
          "admin",
          "--json",
        ]),
      );
      expect(admin).toMatchObject({ email: "root@example.com", role: "admin", active: true });
      json(
        await withStdin("second-user-pass\n", [
          "user",
          "create",
          "--email",
          "sam@example.com",
          "--username",
          "sam",
          "--json",
        ]),
      );

      const listed = json(await runCli(["user", "list", "--json"]));
      expect(listed.map((u: { username: string }) => u.username)).toEqual(["root", "sam"]);
      expect(listed).toHaveLength(2);
      expect(JSON.stringify(listed)).not.toMatch(/\$2[aby]\$|pass/);

      expect(json(await runCli(["user", "set-role", "sam@example.com", "operator", "--json"])).role).toBe("operator");
      expect(json(await runCli(["user", "disable", "sam", "--json"])).active).toBe(false);
      expect(json(await runCli(["user", "enable", String(admin.id + 1), "--json"])).active).toBe(true);
      const human = await runCli(["user", "list"]);
      expect(human.stdout).toMatch(/^id\s+username\s+email\s+role/m);
      expect(human.stdout).toMatch(/sam@example\.com\s+operator\s+true/);
    },
  );

  it(
    "refuses what would hurt: a common password, the last admin's demotion, an unknown user, a bad role",
    SLOW,
    async () => {
      const weak = await withStdin("password1\n", ["user", "create", "--email", "weak@example.com"]);
      expect(weak.code).toBe(1);
      expect(weak.stderr).toMatch(/common/);
      const last = await runCli(["user", "set-role", "root@example.com", "viewer"]);
      expect(last.code).toBe(1);
      expect(last.stderr).toMatch(/last active admin/);
      expect((await runCli(["user", "disable", "nobody@example.com"])).stderr).toMatch(/no user "nobody@example.com"/);
      expect((await runCli(["user", "set-role", "sam", "root"])).code).toBe(2);
      expect((await withStdin("", ["user", "create", "--email", "empty@example.com"])).stderr).toMatch(
        /no password on stdin/,
      );
    },
  );

  it("resets a password (generated, printed once) and creates an invitation link", SLOW, async () => {
    const reset = json(await runCli(["user", "reset-password", "sam", "--generate", "--json"]));
    expect(reset.generated_password).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const invite = json(
      await runCli([
        "user",
        "invite",
        "--email",
        "new@example.com",
        "--role",
        "operator",
        "--url",
        "https://hp.example.com/",
        "--json",
      ]),
    );
    expect(invite).toMatchObject({ email: "new@example.com", role: "operator", status: "pending" });
    expect(invite.url).toBe(`https://hp.example.com/signup?invite=${invite.token}`);
    const help = await runCli(["user", "--help"]);
    expect(help.stdout).toMatch(/set-role <user> <role>/);
  });
});
