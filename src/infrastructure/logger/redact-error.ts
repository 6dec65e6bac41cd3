import pino from "pino";

/**
 * pino's `err` serializer without bound query parameters: Drizzle's query errors carry the SQL
 * in their message followed by `params: ...` and a `params` array, and the database's own
 * message may quote a value too (`invalid input syntax ... "<value>"`, `Key (token)=(<value>)`).
 * Those values are webhook signing keys, emails and order tokens: every one of them is replaced
 * wherever it appears (message, stack, detail, causes). The SQL stays: it names the statement.
 */
export function redactedErrorSerializer(error: unknown): unknown {
    if (!(error instanceof Error)) return error;
    const secrets = boundValuesOf(error);
    const serialized = pino.stdSerializers.err(error) as unknown as Record<string, unknown>;
    return scrub(serialized, secrets, 0);
}

const redacted = "[redacted]";

/** The bound parameters of the error and of its causes, longest first. */
function boundValuesOf(error: unknown): string[] {
    const values = new Set<string>();
    let current: unknown = error;
    for (let depth = 0; current && typeof current === "object" && depth < 5; depth++) {
        const params = (current as { params?: unknown }).params;
        if (Array.isArray(params)) {
            for (const param of params) {
                const text = typeof param === "string" ? param : JSON.stringify(param);
                // Short values (ids, booleans) say nothing and would garble the message.
                if (text && text.length >= 4) values.add(text);
            }
        }
        current = (current as { cause?: unknown }).cause;
    }
    return [...values].sort((a, b) => b.length - a.length);
}

function scrub(value: unknown, secrets: string[], depth: number): unknown {
    if (typeof value === "string") {
        let text = value.replace(/^params:.*$/gm, `params: ${redacted}`);
        for (const secret of secrets) text = text.split(secret).join(redacted);
        return text;
    }
    if (!value || typeof value !== "object" || depth > 5) return value;
    if (Array.isArray(value)) return value.map((item) => scrub(item, secrets, depth + 1));
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
        copy[key] = key === "params" ? redacted : scrub(item, secrets, depth + 1);
    }
    return copy;
}
