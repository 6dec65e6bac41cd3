import { createHmac } from "node:crypto";

/**
 * Standard Webhooks headers as a sender makes them: `v1,<base64 HMAC-SHA256(key,
 * "<id>.<timestamp>.<body>")>`; `whsec_` secrets are base64-decoded first.
 */
export function standardWebhookHeaders(
    secret: string | Uint8Array,
    body: string,
    options: { id?: string; timestamp?: number } = {},
): Record<string, string> {
    const id = options.id ?? `msg_${crypto.randomUUID()}`;
    const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
    const key =
        typeof secret === "string" && secret.startsWith("whsec_")
            ? Buffer.from(secret.slice(6), "base64")
            : secret;
    const signature = createHmac("sha256", key)
        .update(`${id}.${timestamp}.${body}`)
        .digest("base64");
    return {
        "webhook-id": id,
        "webhook-timestamp": timestamp,
        "webhook-signature": `v1,${signature}`,
    };
}
