import { createHash, createHmac } from "node:crypto";
import { equalBase64, verifyBodyHmac } from "./body-hmac";

/** Standard Webhooks: a delivery older (or newer) than this is refused as a replay. */
export const STANDARD_WEBHOOKS_TOLERANCE_SECONDS = 5 * 60;

export type StandardWebhookHeaders = {
    id: string | undefined;
    timestamp: string | undefined;
    signature: string | undefined;
};

export type StandardWebhookCheck = { ok: true } | { ok: false; reason: string };

/**
 * Standard Webhooks (standardwebhooks.com): `webhook-signature` is a space separated list of
 * `v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>`; the timestamp (unix seconds) must
 * be within 5 minutes of now. Keys of the form `whsec_<base64>` are base64-decoded, as the spec's
 * libraries do; other keys are used as their UTF-8 bytes.
 */
export function verifyStandardWebhook(
    key: Uint8Array,
    body: Uint8Array,
    headers: StandardWebhookHeaders,
    nowSeconds: number = Math.floor(Date.now() / 1000),
): StandardWebhookCheck {
    const { id, timestamp, signature } = headers;
    if (!id || !timestamp || !signature) return { ok: false, reason: "missing_headers" };
    if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: "invalid_timestamp" };
    if (Math.abs(nowSeconds - Number(timestamp)) > STANDARD_WEBHOOKS_TOLERANCE_SECONDS) {
        return { ok: false, reason: "timestamp_outside_tolerance" };
    }
    const expected = createHmac("sha256", key).update(`${id}.${timestamp}.`).update(body).digest();
    for (const candidate of signature.split(" ")) {
        const [version, value] = candidate.split(",", 2);
        if (version === "v1" && value && equalBase64(expected, value)) return { ok: true };
    }
    return { ok: false, reason: "signature_mismatch" };
}

/** Signing key bytes of a stored hook key (`whsec_` keys are base64). */
export function signingKeyBytes(key: string): Uint8Array {
    if (key.startsWith("whsec_")) return new Uint8Array(Buffer.from(key.slice(6), "base64"));
    return new TextEncoder().encode(key);
}

/**
 * The idempotency key of a verified delivery: its `webhook-id`, hashed when long so that any id
 * the sender chose fits the stored key (never a database error for a valid delivery).
 */
export function standardWebhookDeliveryKey(id: string): string {
    if (id.length <= 100) return `webhook-id:${id}`;
    return `webhook-id:sha256:${createHash("sha256").update(id).digest("hex")}`;
}

/** The idempotency key of a delivery signed over its body alone: the body's hash. */
export function bodyDeliveryKey(body: Uint8Array): string {
    return `sha256:${createHash("sha256").update(body).digest("hex")}`;
}

export type MerchantWebhookSignature = {
    /** The seed's form: base64 HMAC-SHA256 of the raw body. */
    hmac: string | undefined;
    standard: StandardWebhookHeaders;
};

export type VerifiedDelivery =
    | { ok: true; deliveryKey: string; form: "standard" | "hmac" }
    | { ok: false; reason: string };

/**
 * A merchant server's delivery (custom order webhook, interactions webhook): Standard Webhooks
 * when `webhook-signature` is present, else the seed's `x-hmac-sha256`. The delivery key is what
 * the signature covers: the signed `webhook-id`, or the body.
 */
export function verifyMerchantWebhook(
    key: string,
    body: Uint8Array,
    signature: MerchantWebhookSignature,
): VerifiedDelivery {
    const { standard } = signature;
    if (standard.signature !== undefined) {
        const check = verifyStandardWebhook(signingKeyBytes(key), body, standard);
        if (!check.ok) return check;
        return {
            ok: true,
            deliveryKey: standardWebhookDeliveryKey(standard.id ?? ""),
            form: "standard",
        };
    }
    if (!verifyBodyHmac(key, body, signature.hmac)) return { ok: false, reason: "hmac_mismatch" };
    return { ok: true, deliveryKey: bodyDeliveryKey(body), form: "hmac" };
}
