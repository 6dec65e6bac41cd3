import { t } from "elysia";
import { type ErrorBodySchema, errorBodySchema } from "../errors/error-body";
import type { CodeAnswering, ErrorCode } from "../errors/error-codes";

/**
 * The API document as a contract: the tags (described), the error body, and the responses every
 * operation has by construction, added to the generated document so that no route has to repeat
 * them: 422 where the route validates an input, 401 where it requires a session, 429 where a rate
 * limit applies. A route declares what only it knows: its success body and its own error codes
 * (`apiErrors`). test/openapi/completeness.test.ts fails when an operation lacks any of these.
 */
export const API_TAGS = [
    { name: "health", description: "Readiness and liveness probes for load balancers" },
    {
        name: "common",
        description:
            "Public helpers: backend signer addresses, token rates, in-app browser escape, lead capture",
    },
    {
        name: "auth",
        description:
            "Sessions: merchants by Sign-In with Ethereum (x-business-auth); wallets by passkey (WebAuthn) or ECDSA login and registration (x-wallet-auth); SDK tokens (x-wallet-sdk-auth)",
    },
    {
        name: "business",
        description: "Merchant products: domain proof, minting, roles, test funding",
    },
    {
        name: "oracle",
        description:
            "Purchase oracle: shop webhooks (Shopify, WooCommerce, custom) into a Merkle tree whose root goes on-chain",
    },
    {
        name: "interactions",
        description:
            "User interactions (referral, purchase) queued, signed and pushed on-chain in batches; the merchant's interactions webhook",
    },
    {
        name: "notifications",
        description: "Web Push: wallets' subscriptions and merchants' broadcasts",
    },
    { name: "wallet", description: "Balances and claimable rewards read from the chain" },
    {
        name: "pairing",
        description:
            "Desktop-to-phone pairing and remote signing over WebSocket (docs/pairing-protocol.md)",
    },
] as const;

export type ApiTag = (typeof API_TAGS)[number]["name"];

/**
 * Error responses of a route with the catalogue codes each status carries, e.g.
 * `apiErrors({ 404: ["oracle_not_found"], 401: ["unauthorized"] })`: a code may only be listed
 * under a status it answers with (infrastructure/errors/error-codes.ts), which the type checks.
 * Each response is the one error body schema, naming its codes (`x-error-codes`, examples).
 */
export function apiErrors<const S extends number>(
    codes: {
        [Status in S]: readonly CodeAnswering<Status>[];
    },
) {
    const responses = {} as Record<S, typeof ErrorBodySchema>;
    for (const [status, list] of Object.entries(codes) as Array<[string, readonly ErrorCode[]]>) {
        responses[Number(status) as S] = errorBodySchema(list);
    }
    return responses;
}

type Schema = Record<string, unknown>;
type Response = { description?: string; content?: Record<string, { schema?: Schema }> };
type Operation = {
    tags?: string[];
    summary?: string;
    description?: string;
    parameters?: Array<{ in: string; name: string }>;
    requestBody?: unknown;
    security?: Array<Record<string, string[]>>;
    responses?: Record<string, Response>;
};
export type OpenApiDocument = {
    tags?: Array<{ name: string; description?: string }>;
    paths: Record<string, Record<string, Operation>>;
};

const ValidationBodySchema = t.Object({
    error: t.Literal("validation"),
    type: t.Literal("validation"),
    on: t.String({ description: "body, query, params or headers" }),
    property: t.String({ description: "JSON pointer of the first invalid field, e.g. /domain" }),
    message: t.String(),
    errors: t.Array(t.Object({ property: t.String(), message: t.String() })),
});

const json = (schema: Schema) => ({ "application/json": { schema } });

const errorBodyWith = (...codes: ErrorCode[]): Schema =>
    errorBodySchema(codes) as unknown as Schema;

const derived = {
    422: {
        description: "Validation error: validation (`property` names the failing field)",
        content: json({
            ...(ValidationBodySchema as unknown as Schema),
            "x-error-codes": ["validation"],
        }),
    },
    401: {
        description:
            "Unauthorized: unauthorized (the session header is missing, invalid, expired or revoked)",
        content: json(errorBodyWith("unauthorized")),
    },
    429: {
        description: "Too many requests: rate_limited (see Retry-After)",
        content: json(errorBodyWith("rate_limited")),
    },
} satisfies Record<number, Response>;

const STATUS_TEXT: Record<string, string> = {
    "101": "Switching protocols (WebSocket)",
    "200": "Success",
    "201": "Created",
    "204": "No content",
    "302": "Redirect",
    "400": "Bad request",
    "401": "Unauthorized",
    "403": "Forbidden",
    "404": "Not found",
    "409": "Conflict",
    "410": "Gone",
    "413": "Payload too large",
    "422": "Validation error",
    "429": "Too many requests",
    "503": "Unavailable",
};

/**
 * The 422 of a route that validates input: the validation body, or either body when the route
 * declares 422 codes of its own (`apiErrors({ 422: [...] })`, a rule its service checks).
 */
function withValidation(declared: Response | undefined): Response {
    const schema = declared?.content?.["application/json"]?.schema;
    const codes = (schema?.["x-error-codes"] as ErrorCode[] | undefined) ?? [];
    if (!schema || codes.includes("validation")) return declared ?? derived[422];
    return {
        content: json({
            anyOf: [ValidationBodySchema, schema],
            "x-error-codes": ["validation", ...codes],
        }),
    };
}

/** Whether a request needs a session: one security alternative, and none is anonymous (`{}`). */
const requiresSession = (operation: Operation) =>
    (operation.security?.length ?? 0) > 0 &&
    !operation.security?.some((alternative) => Object.keys(alternative).length === 0);

const hasValidatedInput = (operation: Operation) =>
    operation.requestBody !== undefined ||
    (operation.parameters ?? []).some((parameter) => parameter.in !== "header");

/**
 * Completes the generated document in place: the described tags, the derived error responses,
 * and response descriptions naming the error codes instead of "Response for status N".
 */
export function completeOpenApiDocument<D extends OpenApiDocument>(
    document: D,
    options: { isRateLimited: (method: string, path: string) => boolean },
): D {
    document.tags = API_TAGS.map((tag) => ({ ...tag }));
    for (const [path, methods] of Object.entries(document.paths)) {
        for (const [method, operation] of Object.entries(methods)) {
            operation.responses ??= {};
            const responses = operation.responses;
            if (hasValidatedInput(operation)) responses["422"] = withValidation(responses["422"]);
            if (requiresSession(operation)) responses["401"] ??= derived[401];
            if (options.isRateLimited(method.toUpperCase(), path))
                responses["429"] ??= derived[429];
            if (method === "ws") {
                responses["101"] ??= {
                    description:
                        "Switching protocols: the WebSocket; messages, close codes and sequence in docs/pairing-protocol.md",
                };
            }
            for (const [status, response] of Object.entries(responses)) {
                // t.Void() comes out as `content: { type: "void" }`: an empty body has no content.
                if ((response.content as Record<string, unknown> | undefined)?.type === "void") {
                    delete response.content;
                    response.description = `${STATUS_TEXT[status] ?? `Status ${status}`} (empty body)`;
                    continue;
                }
                const schema = response.content?.["application/json"]?.schema;
                const codes = schema?.["x-error-codes"] as string[] | undefined;
                if (!response.description || response.description.startsWith("Response for")) {
                    const text = STATUS_TEXT[status] ?? `Status ${status}`;
                    response.description = codes?.length ? `${text}: ${codes.join(", ")}` : text;
                }
            }
        }
    }
    return document;
}
