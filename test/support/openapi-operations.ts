/** Operations of our OpenAPI document, as the fuzz and auth-matrix suites iterate them. */
export type JsonSchema = {
    type?: string | string[];
    properties?: Record<string, JsonSchema>;
    required?: string[];
    items?: JsonSchema;
    anyOf?: JsonSchema[];
    oneOf?: JsonSchema[];
    enum?: unknown[];
    const?: unknown;
    pattern?: string;
    format?: string;
    minLength?: number;
    maxLength?: number;
    minimum?: number;
    maximum?: number;
    minItems?: number;
    maxItems?: number;
    $ref?: string;
};

export type Parameter = {
    in: "path" | "query" | "header" | "cookie";
    name: string;
    schema?: JsonSchema;
    required?: boolean;
};

export type Operation = {
    method: string;
    /** OpenAPI path, e.g. `/business/product/{productId}/oracleWebhook/setup`. */
    path: string;
    parameters: Parameter[];
    body?: JsonSchema;
    security: Array<Record<string, string[]>>;
};

type OpenApiDocument = {
    paths: Record<
        string,
        Record<
            string,
            {
                parameters?: Parameter[];
                requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
                security?: Array<Record<string, string[]>>;
            }
        >
    >;
};

export function operationsOf(document: OpenApiDocument): Operation[] {
    const operations: Operation[] = [];
    for (const [path, methods] of Object.entries(document.paths)) {
        for (const [method, operation] of Object.entries(methods)) {
            operations.push({
                method: method.toUpperCase(),
                path,
                parameters: operation.parameters ?? [],
                body: operation.requestBody?.content?.["application/json"]?.schema,
                security: operation.security ?? [],
            });
        }
    }
    return operations;
}

/** The session kind an operation requires (`walletAuth`, ...), when it requires exactly one. */
export function requiredSession(operation: Operation): string | undefined {
    if (operation.security.length !== 1) return undefined;
    const [scheme] = Object.keys(operation.security[0] ?? {});
    return scheme;
}
