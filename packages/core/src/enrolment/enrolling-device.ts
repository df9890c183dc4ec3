/** What a device says about itself when it enrols (claim or bootstrap); what it omits, the server decides. */
export interface EnrollingDevice {
  /** The id the device wants; omitted, the server generates one. */
  deviceId?: string | undefined;
  deviceName?: string | null | undefined;
  deviceType?: string | undefined;
  osDetails?: string | null | undefined;
}
