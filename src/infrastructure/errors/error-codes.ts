/**
 * The closed catalogue of the API's error codes: each code answers with ONE status, so a client
 * may branch on either. A code that is not here cannot be thrown (`ApiError` takes a key of this
 * object) nor named in the OpenAPI document (test/openapi/completeness.test.ts). The table for
 * people is docs/errors.md, kept in sync by test/foundation/error-codes.test.ts.
 *
 * The few codes that must answer another status on some route, because the seed's clients or
 * docs/compatibility.md depend on it, are listed in `STATUS_EXCEPTIONS` with the reason; nothing
 * else may.
 */
export const ERROR_CODES = {
    // Any route: the request itself.
    validation: {
        status: 422,
        meaning:
            "An input is invalid; `on` and `property` name the field, `errors` lists the issues",
    },
    malformed_body: { status: 400, meaning: "The request body is not valid JSON" },
    body_too_deep: {
        status: 400,
        meaning: "The JSON body nests arrays and objects deeper than the limit",
    },
    body_too_large: { status: 400, meaning: "The JSON body holds more values than the limit" },
    payload_too_large: { status: 413, meaning: "The request body is larger than the byte limit" },
    headers_too_large: { status: 431, meaning: "The request headers are larger than the limit" },
    unsupported_media_type: {
        status: 415,
        meaning: "Request bodies are JSON; multipart forms are not accepted",
    },
    invalid_character: { status: 422, meaning: "A value contains a NUL character" },
    invalid_cookie: { status: 400, meaning: "A signed cookie's signature does not match" },
    invalid_query: {
        status: 400,
        meaning: "The query names neither of the alternatives the route needs",
    },
    not_found: {
        status: 404,
        meaning: "No such path or method (or a route this deployment does not serve)",
    },
    rate_limited: { status: 429, meaning: "Too many requests from this client; see Retry-After" },

    // Any route: our dependencies.
    service_unavailable: { status: 503, meaning: "The database is unreachable; see Retry-After" },
    chain_unavailable: { status: 503, meaning: "The blockchain node is unreachable" },
    dns_unavailable: { status: 503, meaning: "The DNS TXT check could not be completed" },
    internal_error: { status: 500, meaning: "An unexpected failure (details only in our logs)" },

    // Sessions.
    unauthorized: {
        status: 401,
        meaning: "The session header is missing, invalid, expired or revoked, or lacks the role",
    },
    forbidden: {
        status: 403,
        meaning: "The resource belongs to another wallet than the session's",
    },
    paired_device_forbidden: {
        status: 403,
        meaning: "A paired desktop's session cannot do this; use the wallet's own device",
    },
    passkey_session_required: {
        status: 403,
        meaning: "Only a passkey session on the wallet's own device can do this",
    },
    no_wallet_session: { status: 404, meaning: "No x-wallet-auth header was sent" },
    invalid_wallet_session: { status: 404, meaning: "The x-wallet-auth token is not valid" },

    // Wallet login and registration.
    invalid_signature: {
        status: 401,
        meaning:
            "A signature (webhook HMAC, login assertion, SIWE message) does not verify; see the exceptions",
    },
    registration_failed: { status: 400, meaning: "The passkey registration does not verify" },
    unexpected_wallet_proof: {
        status: 400,
        meaning: "previousWalletProof was sent without previousWallet",
    },
    public_key_mismatch: {
        status: 400,
        meaning: "The registration's public key is not the attested key",
    },
    invalid_wallet_proof: {
        status: 403,
        meaning: "previousWalletProof is not an assertion by a passkey of previousWallet",
    },
    credential_exists: { status: 409, meaning: "This passkey credential is already registered" },

    // Merchant login (Sign-In with Ethereum).
    missing_origin: { status: 400, meaning: "The Origin header is missing" },
    invalid_origin: { status: 400, meaning: "The Origin header is not a URL" },
    invalid_siwe_message: { status: 400, meaning: "The SIWE message cannot be parsed" },
    siwe_domain_not_allowed: {
        status: 401,
        meaning: "The SIWE domain is not one of our dashboards",
    },
    siwe_uri_not_allowed: { status: 401, meaning: "The SIWE uri is not one of our dashboards" },
    siwe_origin_mismatch: { status: 401, meaning: "The SIWE domain is not the request's Origin" },
    siwe_chain_mismatch: { status: 401, meaning: "The SIWE chainId is not the deployment's chain" },
    siwe_issued_at_out_of_window: {
        status: 401,
        meaning: "The SIWE issuedAt is not within the last 10 minutes",
    },
    siwe_expired: { status: 401, meaning: "The SIWE expirationTime has passed" },
    siwe_not_yet_valid: { status: 401, meaning: "The SIWE notBefore is not reached yet" },
    siwe_nonce_used: { status: 401, meaning: "The SIWE nonce was already used" },

    // Products (business, oracle, interactions).
    invalid_product_id: {
        status: 400,
        meaning: "The product id is not 1 to 32 bytes of hex",
    },
    invalid_domain_proof: {
        status: 400,
        meaning: "The domain is proven neither by DNS TXT nor by the setup code",
    },
    product_already_exists: { status: 400, meaning: "The product is already minted" },
    oracle_not_found: { status: 404, meaning: "The product has no (enabled) purchase oracle" },
    tracker_not_found: { status: 404, meaning: "The product has no interactions webhook" },
    missing_hmac: { status: 400, meaning: "The x-hmac-sha256 header is missing" },
    invalid_body: {
        status: 400,
        meaning: "The interactions webhook body is not the expected shape",
    },
    invalid_raw_interaction: {
        status: 400,
        meaning: "The raw interaction (key and data) cannot be encoded",
    },
    no_interaction_contract: {
        status: 400,
        meaning: "The product has no interaction contract on-chain",
    },
    invalid_wallet: {
        status: 403,
        meaning: "An interaction names another wallet than the SDK session's",
    },

    // Notifications.
    invalid_push_endpoint: {
        status: 422,
        meaning: "The push endpoint is not a public https URL that resolves",
    },
    invalid_filter_product_id: {
        status: 422,
        meaning: "A product id of the broadcast filter is not 1 to 32 bytes of hex",
    },
    invalid_reward_bound: {
        status: 422,
        meaning: "A rewards bound of the broadcast filter is not 1 to 32 bytes of hex",
    },
    rewards_filter_unavailable: {
        status: 422,
        meaning: "This deployment cannot filter an audience by rewards",
    },

    // Wallet and common helpers.
    invalid_token: { status: 400, meaning: "The token has no known price" },
    invalid_url: { status: 400, meaning: "The url is not an absolute http(s) URL" },
    redirect_host_not_allowed: {
        status: 400,
        meaning: "The url's host is not a registered product domain",
    },
    missing_table: { status: 400, meaning: "The table query parameter is missing" },
    invalid_table: { status: 400, meaning: "The table is neither demo_request nor simulation" },
    missing_email: { status: 400, meaning: "The body has no email" },
    lead_exists: { status: 409, meaning: "A lead with this email already exists" },

    // Pairing.
    pairing_not_found: { status: 404, meaning: "No such pairing" },
    pairing_not_resolved: { status: 404, meaning: "The pairing has no wallet yet" },
    too_many_sockets: { status: 429, meaning: "Too many pairing sockets are open" },
} as const satisfies Record<string, { status: ErrorStatus; meaning: string }>;

/** A status an error answers with: 4xx or 5xx. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 431 | 500 | 503;

export type ErrorCode = keyof typeof ERROR_CODES;

type StatusException = { routes: readonly string[]; reason: string };

/**
 * The only codes that answer another status than their catalogue one, only on the routes named
 * (test/openapi/completeness.test.ts checks the document against them), and why. Each is
 * promised by docs/compatibility.md and relied on by the seed's clients or our tests; a code's
 * string is part of the API, so these are documented here rather than renamed.
 */
export const STATUS_EXCEPTIONS = {
    invalid_signature: {
        400: {
            routes: ["POST /business/auth/login"],
            reason: "A wrong SIWE signature was the seed's 400, which its dashboard shows",
        },
        403: {
            routes: ["POST /wallet/auth/sdk/fromWebAuthNSignature"],
            reason: "The seed's wallet clears its session on a 401; on this 403 it falls back to GET /wallet/auth/sdk/generate",
        },
        404: {
            routes: ["POST /wallet/auth/login", "POST /wallet/auth/ecdsaLogin"],
            reason: "An unknown or wrong login assertion was the seed's 404",
        },
    },
    payload_too_large: {
        422: {
            routes: ["POST /business/notifications/send"],
            reason: "The notification (not the request body) exceeds what fits a Web Push message: a 422 on a valid body, as documented",
        },
    },
} as const satisfies { [C in ErrorCode]?: { [S in ErrorStatus]?: StatusException } };

/** The statuses a code may answer with other than its own: never for all but the exceptions. */
export type ExceptionStatus<C extends ErrorCode> = [C] extends [keyof typeof STATUS_EXCEPTIONS]
    ? keyof (typeof STATUS_EXCEPTIONS)[C]
    : never;

/** Every status a code answers with: its own first, then its documented exceptions. */
export type StatusOf<C extends ErrorCode> = (typeof ERROR_CODES)[C]["status"] | ExceptionStatus<C>;

/** The codes that may answer with `S` (their own status or a documented exception). */
export type CodeAnswering<S extends number> = {
    [C in ErrorCode]: S extends StatusOf<C> ? C : never;
}[ErrorCode];

export const isErrorCode = (code: string): code is ErrorCode => Object.hasOwn(ERROR_CODES, code);

/** Where `code` answers `status`: everywhere for its own status, else the exception's routes. */
export function routesAnswering(code: ErrorCode, status: number): "all" | readonly string[] {
    if (ERROR_CODES[code].status === status) return "all";
    const exceptions: Partial<Record<ErrorCode, Partial<Record<number, StatusException>>>> =
        STATUS_EXCEPTIONS;
    return exceptions[code]?.[status]?.routes ?? [];
}
