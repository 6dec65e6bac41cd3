import { UAParser } from "ua-parser-js";

/** Longest user agent we keep: headers can be large, a device label never needs that much. */
const maxUserAgentLength = 512;

export type Device = { userAgent: string; name: string };

/** `<browser> on <OS>` from the User-Agent header (as the seed names devices), or `Unknown`. */
export function describeDevice(userAgent: string | undefined | null): Device {
    const kept = (userAgent ?? "").slice(0, maxUserAgentLength);
    const { browser, os } = UAParser(kept);
    if (!browser.name && !os.name) return { userAgent: kept, name: "Unknown" };
    return { userAgent: kept, name: `${browser.name ?? "Unknown"} on ${os.name ?? "Unknown"}` };
}
