import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors.ts";
import { checkTemplateParameters, fillTemplate, placeholdersOf } from "./fill-template.ts";

describe("fillTemplate", () => {
  const params = [
    { name: "host", required: true },
    { name: "port", default: "443", required: true },
    { name: "note", required: false },
  ];

  it("fills placeholders at any depth, in arrays and beside text, with given values then defaults", () => {
    const payload = {
      url: "https://{{host}}:{{ port }}/x",
      list: ["{{host}}", 3, true],
      deep: { a: { b: "{{note}}!" } },
    };
    expect(fillTemplate(payload, params, { host: "pos.local" })).toEqual({
      url: "https://pos.local:443/x",
      list: ["pos.local", 3, true],
      deep: { a: { b: "!" } },
    });
    expect(payload.url).toBe("https://{{host}}:{{ port }}/x");
  });

  it("names the missing or unknown parameter", () => {
    const missing = () => fillTemplate({ a: "{{host}}" }, params, {});
    expect(missing).toThrow(ValidationError);
    expect(missing).toThrow("parameter host is required");
    expect(() => fillTemplate({}, params, { host: "h", colour: "red" })).toThrow("no parameter colour");
  });

  it("finds placeholders and refuses undeclared or duplicate parameters", () => {
    expect([...placeholdersOf({ a: ["{{x}} {{y}}"], b: { c: "{{x}}" } })].sort()).toEqual(["x", "y"]);
    expect(() => checkTemplateParameters({ a: "{{z}}" }, params)).toThrow("{{z}}");
    expect(() =>
      checkTemplateParameters({}, [
        { name: "a", required: true },
        { name: "a", required: false },
      ]),
    ).toThrow("declared twice");
    expect(() => checkTemplateParameters({ a: "{{host}}" }, params)).not.toThrow();
  });
});
