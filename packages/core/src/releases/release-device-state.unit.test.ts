import { describe, expect, it } from "vitest";
import { type ReleaseDeviceFacts, releaseDeviceState } from "./release-device-state.ts";

const facts = (over: Partial<ReleaseDeviceFacts>): ReleaseDeviceFacts => ({
  status: "sent",
  errorMessage: null,
  downloadedBytes: 0,
  sizeBytes: 100,
  installResult: null,
  ...over,
});

describe("releaseDeviceState", () => {
  it("follows a device from queued through downloading and installing to its end", () => {
    expect(releaseDeviceState(facts({ status: "pending" }))).toEqual({ state: "queued", reason: null });
    expect(releaseDeviceState(facts({}))).toEqual({ state: "queued", reason: null });
    expect(releaseDeviceState(facts({ downloadedBytes: 40 })).state).toBe("downloading");
    expect(releaseDeviceState(facts({ downloadedBytes: 100 })).state).toBe("installing");
    expect(releaseDeviceState(facts({ status: "succeeded", installResult: "installed" })).state).toBe("installed");
    expect(releaseDeviceState(facts({ status: "succeeded", installResult: "downloaded" })).state).toBe("downloaded");
  });

  it("says why a device failed, rolled back or was skipped", () => {
    expect(
      releaseDeviceState(facts({ status: "failed", installResult: "refused", errorMessage: "release refused: hash" })),
    ).toEqual({ state: "failed", reason: "release refused: hash" });
    expect(releaseDeviceState(facts({ status: "failed", installResult: "rolled_back", errorMessage: "x" })).state).toBe(
      "rolled_back",
    );
    expect(releaseDeviceState(facts({ status: "skipped", errorMessage: "already on 4.2.0" }))).toEqual({
      state: "skipped",
      reason: "already on 4.2.0",
    });
    expect(releaseDeviceState(facts({ status: "cancelled" })).state).toBe("cancelled");
  });
});
