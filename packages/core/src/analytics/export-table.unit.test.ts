import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvCell, Pseudonymizer, replaceEmails } from "./export-table.ts";

/** The pattern the scrub replaces; quadratic on long runs, so used here on short strings only. */
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const mark = (m: string) => `<${m}>`;

describe("replaceEmails", () => {
  it("replaces exactly what the e-mail pattern matches", () => {
    const text = fc
      .array(fc.constantFrom("a", "Z", "1", ".", "-", "_", "+", "@", " ", '"', "é", "co", "@b.com"), { maxLength: 40 })
      .map((parts) => parts.join(""));
    fc.assert(
      fc.property(text, (s) => {
        expect(replaceEmails(s, mark)).toBe(s.replace(EMAIL, mark));
      }),
      { numRuns: 1000 },
    );
  });

  it("handles the usual cases", () => {
    expect(replaceEmails("contact Ana.B@example.com, or x@y.co-uk.", mark)).toBe(
      "contact <Ana.B@example.com>, or <x@y.co>-uk.",
    );
    expect(replaceEmails("a@b.com_x@c.org", mark)).toBe("<a@b.com><_x@c.org>");
    expect(replaceEmails("no address @ here, a@b, @c.com", mark)).toBe("no address @ here, a@b, @c.com");
  });

  // The regex took hours on these (it backtracks over the whole run at every start); a scan takes milliseconds.
  it.each([
    ["a run of local-part characters", "a".repeat(2_000_000)],
    ["one long dotted domain", `a@a${".a".repeat(1_000_000)}`],
    ["an extra_metrics json value", JSON.stringify({ blob: "a.".repeat(1_000_000) })],
  ])("scans %s of 2 MB", (_name, input) => {
    const pseudo = new Pseudonymizer("k");
    expect(pseudo.scrubText(input)).toHaveLength(input.length);
  });
});

describe("csvCell", () => {
  it("prefixes text a spreadsheet would evaluate, as OWASP recommends", () => {
    expect(csvCell("=cmd|' /C calc'!A0")).toBe("'=cmd|' /C calc'!A0");
    expect(csvCell("+1+1")).toBe("'+1+1");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("@SUM(A1:A2)")).toBe("'@SUM(A1:A2)");
    expect(csvCell("\t=1")).toBe('"\'\t=1"');
    expect(csvCell("\r=1")).toBe('"\'\r=1"');
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
  });

  it("leaves numbers, booleans, json and ordinary text as they are", () => {
    expect(csvCell(-5)).toBe("-5");
    expect(csvCell(1.5)).toBe("1.5");
    expect(csvCell(false)).toBe("false");
    expect(csvCell({ a: -1 })).toBe('"{""a"":-1}"');
    expect(csvCell("POS, front")).toBe('"POS, front"');
    expect(csvCell("a=b")).toBe("a=b");
    expect(csvCell(null)).toBe("");
  });
});
