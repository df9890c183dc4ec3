import { describe, expect, it } from "vitest";
import { csvCell, csvFileName, toCsv } from "./csv.ts";

describe("csv", () => {
  it("quotes every field and doubles quotes, keeping commas and line breaks inside the field", () => {
    expect(csvCell('say "hi", then\nleave')).toBe('"say ""hi"", then\nleave"');
    expect(csvCell("plain")).toBe('"plain"');
  });

  it("neutralises text a spreadsheet would run as a formula", () => {
    for (const evil of ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx", '=HYPERLINK("http://x")'])
      expect(csvCell(evil).startsWith(`"'`), evil).toBe(true);
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell("a=b")).toBe('"a=b"');
  });

  it("keeps numbers as numbers (a negative number is not a formula) and writes other values plainly", () => {
    expect(csvCell(-5)).toBe('"-5"');
    expect(csvCell(12.5)).toBe('"12.5"');
    expect(csvCell(Number.NaN)).toBe('""');
    expect(csvCell(null)).toBe('""');
    expect(csvCell(undefined)).toBe('""');
    expect(csvCell(true)).toBe('"true"');
    expect(csvCell(new Date("2026-01-02T03:04:05Z"))).toBe('"2026-01-02T03:04:05.000Z"');
    expect(csvCell({ a: 1, b: "=x" })).toBe('"{""a"":1,""b"":""=x""}"');
    expect(csvCell("-")).toBe(`"'-"`);
  });

  it("writes a BOM, a header row and CRLF line ends", () => {
    expect(
      toCsv(
        ["id", "name"],
        [
          [1, "a"],
          [2, "=b"],
        ],
      ),
    ).toBe('\uFEFF"id","name"\r\n"1","a"\r\n"2","\'=b"\r\n');
  });

  it("names the file after the table and the minute", () => {
    expect(csvFileName("Health checks / pos-1", new Date("2026-11-27T12:03:59Z"))).toBe(
      "Health-checks-pos-1-2026-11-27T1203.csv",
    );
  });
});
