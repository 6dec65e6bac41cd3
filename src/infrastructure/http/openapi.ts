import { createRequire } from "node:module";
import { join } from "node:path";
import { openapi } from "@elysiajs/openapi";
import { Elysia } from "elysia";
import { errorBody } from "../errors/api-error";
import { representError } from "./error-representation";
import { API_TAGS, completeOpenApiDocument, type OpenApiDocument } from "./openapi-contract";

const require = createRequire(import.meta.url);
const swaggerUiDir = join(require.resolve("swagger-ui-dist/package.json"), "..");
// Served by us from the npm package: the plugin's default UI loads from a CDN, which fails
// offline and under a strict Content-Security-Policy (hence no inline script either).
// A Map, not an object literal: `constructor` or `__proto__` must not resolve to a prototype key.
const uiAssets = new Map([
    ["swagger-ui.css", "text/css; charset=utf-8"],
    ["swagger-ui-bundle.js", "text/javascript; charset=utf-8"],
]);

const uiPage = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Wallet backend API</title>
<link rel="stylesheet" href="/openapi/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/openapi/assets/swagger-ui-bundle.js"></script>
<script src="/openapi/assets/init.js"></script></body>
</html>`;
const initScript = `window.ui = SwaggerUIBundle({ url: "/openapi/json", dom_id: "#swagger-ui" });`;

export type OpenApiDocsOptions = {
    /** Whether a per-client rate limit applies to the operation (it then documents a 429). */
    isRateLimited: (method: string, path: string) => boolean;
};

export function openapiDocs(version: string, options: OpenApiDocsOptions) {
    return (
        new Elysia({ name: "openapi-docs" })
            // Local to this plugin: completes the generated document (derived errors, tags).
            .onAfterHandle(({ path, responseValue }) => {
                if (
                    path === "/openapi/json" &&
                    responseValue &&
                    typeof responseValue === "object"
                ) {
                    completeOpenApiDocument(responseValue as OpenApiDocument, options);
                }
            })
            .use(
                openapi({
                    path: "/openapi",
                    specPath: "/openapi/json",
                    provider: null,
                    exclude: { paths: [/^\/openapi/, "*"] },
                    documentation: {
                        tags: API_TAGS.map((tag) => ({ ...tag })),
                        info: {
                            title: "Wallet backend",
                            version,
                            description:
                                "Passkey smart-wallet backend: auth, merchants, interactions, purchase oracle, pairing, notifications and balances.",
                        },
                        components: {
                            securitySchemes: {
                                walletAuth: { type: "apiKey", in: "header", name: "x-wallet-auth" },
                                walletSdkAuth: {
                                    type: "apiKey",
                                    in: "header",
                                    name: "x-wallet-sdk-auth",
                                },
                                businessAuth: {
                                    type: "apiKey",
                                    in: "header",
                                    name: "x-business-auth",
                                },
                            },
                        },
                    },
                }),
            )
            .get(
                "/openapi",
                () =>
                    new Response(uiPage, {
                        headers: { "content-type": "text/html; charset=utf-8" },
                    }),
                { detail: { hide: true } },
            )
            .get(
                "/openapi/assets/init.js",
                () =>
                    new Response(initScript, {
                        headers: { "content-type": "text/javascript; charset=utf-8" },
                    }),
                { detail: { hide: true } },
            )
            .get(
                "/openapi/assets/:file",
                ({ params, request, status }) => {
                    const contentType = uiAssets.get(params.file);
                    if (!contentType) {
                        return status(
                            404,
                            representError(request, errorBody("not_found", "Not found")),
                        );
                    }
                    return new Response(Bun.file(join(swaggerUiDir, params.file)), {
                        headers: {
                            "content-type": contentType,
                            "cache-control": "public, max-age=86400",
                        },
                    });
                },
                { detail: { hide: true } },
            )
    );
}
