/**
 * Import rules of the codebase (docs/architecture.md), checked in CI on src/, test/ and bench/.
 * Each rule has a deliberate violation under test/import-rules/fixture/ that CI proves is caught
 * (test/import-rules/import-rules.test.ts), so a rule that stops biting fails the build.
 *
 * Layers, from the top: composition (app.ts, domains.ts, index.ts, api/, jobs/) -> orchestration
 * (the flows that cross domains) -> domain (api -> services -> repositories) -> infrastructure ->
 * utils.
 */
const routes = "^src/(api|domain/[^/]+/api)/";
const servicesAndRepositories = "^src/domain/[^/]+/(services|repositories)/";

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
            from: { path: routes },
            to: { path: "node_modules/drizzle-orm" },
        },
        {
            name: "routes-not-to-repositories",
            comment: "Routes call services, never a repository directly",
            severity: "error",
            from: { path: routes },
            to: { path: "^src/domain/[^/]+/repositories/" },
        },
        {
            name: "services-free-of-elysia",
            comment: "Services and repositories never see HTTP types",
            severity: "error",
            from: { path: servicesAndRepositories },
            to: { path: "node_modules/elysia" },
        },
        {
            name: "services-free-of-http-layer",
            comment:
                "Services and repositories never import the HTTP layer (session macros, plugins, " +
                "the http barrel); ApiError lives in infrastructure/errors",
            severity: "error",
            from: { path: servicesAndRepositories },
            to: { path: "^src/infrastructure/http/" },
        },
        {
            name: "no-repository-to-service",
            comment: "Repositories are the bottom of a domain: they call no service and no route",
            severity: "error",
            from: { path: "^src/domain/[^/]+/repositories/" },
            // Type-only imports (a row shape declared next to the code that builds it) do not
            // make a repository call a service.
            to: { path: "^src/domain/[^/]+/(services|api)/", dependencyTypesNot: ["type-only"] },
        },
        {
            name: "repositories-free-of-api-errors",
            comment:
                "A repository reports what failed (its own error types); the service decides the " +
                "HTTP status",
            severity: "error",
            from: { path: "^src/domain/[^/]+/repositories/" },
            to: { path: "^src/infrastructure/errors/" },
        },
        {
            name: "no-domain-to-composition",
            comment:
                "Domains are built by the composition root (domains.ts, app.ts), never import it",
            severity: "error",
            from: { path: "^src/domain/" },
            to: { path: "^src/((domains|app|index)\\.ts$|api/|jobs/)" },
        },
        {
            name: "no-domain-to-orchestration",
            comment:
                "A domain never knows the flows it takes part in: it exposes ports and events, " +
                "the orchestrators in src/orchestration/ use them",
            severity: "error",
            from: { path: "^src/domain/" },
            to: { path: "^src/orchestration/" },
        },
        {
            name: "orchestration-through-domain-doors",
            comment:
                "An orchestrator uses domains only through their public index.ts, and never the " +
                "composition root or the routes above it",
            severity: "error",
            from: { path: "^src/orchestration/" },
            to: {
                path: "^src/(domain/|api/|jobs/|(domains|app|index)\\.ts$)",
                pathNot: "^src/domain/[^/]+/index\\.ts$",
            },
        },
        {
            name: "no-infra-to-domain-logic",
            comment: "Infrastructure is below the domains: it never imports one",
            severity: "error",
            from: { path: "^src/infrastructure/" },
            to: { path: "^src/(domain|api|jobs|orchestration)/|^src/(domains|app|index)\\.ts$" },
        },
        {
            name: "no-utils-to-higher",
            comment: "utils/ is the lowest layer: it imports only utils/ and packages",
            severity: "error",
            from: { path: "^src/utils/" },
            to: { path: "^src/", pathNot: "^src/utils/" },
        },
        {
            name: "src-not-to-tests",
            comment: "Production code never imports tests, benches or scripts",
            severity: "error",
            from: { path: "^src/" },
            to: { path: "^(test|bench|scripts)/" },
        },
        {
            name: "not-to-dev-dep",
            comment:
                "Production code imports only dependencies, not devDependencies (npm ci " +
                "--omit=dev must be enough to run it)",
            severity: "error",
            from: { path: "^src/", pathNot: "\\.d\\.ts$" },
            to: { dependencyTypes: ["npm-dev"], dependencyTypesNot: ["type-only"] },
        },
        {
            name: "not-to-unresolvable",
            comment:
                "Every import resolves (a typo or a removed module fails here, not at run time)",
            severity: "error",
            from: {},
            to: { couldNotResolve: true },
        },
    ],
    options: {
        doNotFollow: { path: "node_modules" },
        tsPreCompilationDeps: "specify",
        tsConfig: { fileName: "tsconfig.json" },
        // Bun's own module is part of the runtime, like node: built-ins.
        builtInModules: { add: ["bun", "bun:test", "bun:sqlite", "bun:ffi", "bun:jsc"] },
        enhancedResolveOptions: {
            exportsFields: ["exports"],
            conditionNames: ["import", "require", "node", "bun", "default", "types"],
            mainFields: ["module", "main", "types", "typings"],
        },
        exclude: { path: "^test/import-rules/fixture/" },
    },
};
