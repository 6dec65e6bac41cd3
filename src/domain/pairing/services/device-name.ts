/**
 * Device labels for paired devices (`<browser> on <OS>`, as the seed names them), from the
 * User-Agent header. Only the browsers and systems a wallet user meets are recognised, by a few
 * ordered token rules: the names match those of the widespread ua-parser-js library, whose
 * current major version is AGPL-licensed and so not something we ship.
 */

/** Longest user agent we keep: headers can be large, a device label never needs that much. */
const maxUserAgentLength = 512;

export type Device = { userAgent: string; name: string };

type Rule = readonly [pattern: RegExp, name: string];

/** First match wins: browsers built on Chrome or Safari announce those tokens too. */
const browserRules: readonly Rule[] = [
    [/\bInstagram\b/, "Instagram"],
    [/\bFBA[NV]\//, "Facebook"],
    [/\b(?:EdgiOS|EdgA|Edge?)\//, "Edge"],
    [/\b(?:OPR|OPiOS|Opera)\//, "Opera"],
    [/\bSamsungBrowser\//, "Samsung Internet"],
    [/\bYaBrowser\//, "Yandex"],
    [/\bVivaldi\//, "Vivaldi"],
    [/\bBrave\b/, "Brave"],
    [/\bUCBrowser\//, "UCBrowser"],
    [/\bHeadlessChrome\//, "Chrome Headless"],
    [/; wv\).*\bChrome\//, "Chrome WebView"],
    [/\bCriOS\//, "Mobile Chrome"],
    [/\bFxiOS\//, "Mobile Firefox"],
    [/\b(?:Mobile|Tablet);.*\bFirefox\/|Android.*\bFirefox\//, "Mobile Firefox"],
    [/\bFirefox\//, "Firefox"],
    [/\bChrome\/.*\bMobile Safari\//, "Mobile Chrome"],
    [/\bChrome\//, "Chrome"],
    [/\bTrident\/|\bMSIE /, "IE"],
    [/\bVersion\/.*\bMobile\/.*\bSafari\//, "Mobile Safari"],
    [/\bVersion\/.*\bSafari\//, "Safari"],
    [/\((?:iPhone|iPad|iPod);.*AppleWebKit\//, "WebKit"],
];

/** iOS before macOS ("like Mac OS X") and Android before Linux. */
const osRules: readonly Rule[] = [
    [/\((?:iPhone|iPad|iPod)\b|\bCPU (?:iPhone )?OS \d/, "iOS"],
    [/\bAndroid\b/, "Android"],
    [/\bCrOS\b/, "Chrome OS"],
    [/\bWindows\b/, "Windows"],
    [/\bMacintosh\b|\bMac OS X\b/, "macOS"],
    [/\bUbuntu\b/, "Ubuntu"],
    [/\bFedora\b/, "Fedora"],
    [/\bDebian\b/, "Debian"],
    [/\bLinux\b|\bX11\b/, "Linux"],
];

function firstMatch(rules: readonly Rule[], userAgent: string): string | undefined {
    return rules.find(([pattern]) => pattern.test(userAgent))?.[1];
}

/** `<browser> on <OS>` from the User-Agent header, or `Unknown` when neither is recognised. */
export function describeDevice(userAgent: string | undefined | null): Device {
    const kept = (userAgent ?? "").slice(0, maxUserAgentLength);
    const browser = firstMatch(browserRules, kept);
    const os = firstMatch(osRules, kept);
    if (!browser && !os) return { userAgent: kept, name: "Unknown" };
    return { userAgent: kept, name: `${browser ?? "Unknown"} on ${os ?? "Unknown"}` };
}
