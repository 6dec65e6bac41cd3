/**
 * Import rules of the codebase (architecture.md), checked in CI:
 * - a domain is reached from outside only through its index.ts;
 * - no cycles between modules;
 * - routes (api/) hold no data access: no Drizzle;
 * - services and repositories are free of HTTP: no Elysia.
 */
module.exports = {
    forbidden: [
        {
            name: "domain-internals-from-another-domain",
            comment: "A domain imports another domain only through its public index.ts",
            severity: "error",
            from: { path: "^src/domain/([^/]+)/" },
            to: {
                path: "^src/domain/[^/]+/",
                pathNot: ["^src/domain/$1/", "^src/domain/[^/]+/index\\.ts$"],
            },
        },
        {
            name: "domain-internals-from-outside",
            comment:
                "api/, jobs/, orchestration/ and infrastructure reach a domain through index.ts",
            severity: "error",
            from: { path: "^src/", pathNot: "^src/domain/" },
            to: { path: "^src/domain/[^/]+/.+", pathNot: "^src/domain/[^/]+/index\\.ts$" },
        },
        {
            name: "no-cycles",
            severity: "error",
            from: { path: "^src/" },
            to: { circular: true, viaOnly: { pathNot: ["\\.d\\.ts$"] } },
        },
        {
            name: "routes-free-of-drizzle",
            comment: "Routes call services; data access lives in repositories",
            severity: "error",
            from: { path: "^src/(api|domain/[^/]+/api)/" },
            to: { path: "node_modules/drizzle-orm" },
        },
        {
            name: "services-free-of-elysia",
            comment: "Services and repositories never see HTTP types",
            severity: "error",
            from: { path: "^src/domain/[^/]+/(services|repositories)/" },
            to: { path: "node_modules/elysia" },
        },
    ],
    options: {
        doNotFollow: { path: "node_modules" },
        tsPreCompilationDeps: true,
        tsConfig: { fileName: "tsconfig.json" },
        exclude: { path: "\\.test\\.ts$" },
    },
};
