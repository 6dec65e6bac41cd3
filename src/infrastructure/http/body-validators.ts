import { Value } from "@sinclair/typebox/value";
import { type AnyElysia, getSchemaValidator, t } from "elysia";
import { RequestValidationError, type ValidationIssue } from "./request-validation-error";

/** What our body parser needs to know about a route. */
export type RouteBody = {
    /** `parse: "none"`: the handler reads the raw bytes itself, within its own limit. */
    raw: boolean;
    /** `parse: "json"`: JSON whatever the content type. */
    forcedJson: boolean;
    /** Throws a cheap 422 when the parsed body would fail the route's schema. */
    check(body: unknown): void;
};

type Validator = NonNullable<ReturnType<typeof getSchemaValidator>>;
type RouteHooks = {
    body?: unknown;
    parse?: { fn: unknown }[];
    standaloneValidator?: { body?: unknown }[];
};
type AppInternals = {
    definitions: { type: Record<string, unknown>; typebox: unknown };
    config: { aot?: boolean; normalize?: unknown; sanitize?: unknown };
};

const maxIssues = 10;
// The coercion Elysia applies to a body schema whose root is a number or a boolean.
const primitiveRootCoercion = [
    { from: t.Number(), to: (schema: object) => t.Numeric(schema), rootOnly: true },
    { from: t.Boolean(), to: (schema: object) => t.BooleanString(schema), rootOnly: true },
];

/**
 * Each route's body schema, compiled exactly as Elysia compiles it, so the body can be checked
 * right after parsing: Elysia's own ValidationError stringifies the whole value (several times,
 * pretty-printed) to build its message, which takes seconds on a large body. A body we pass is
 * then checked again by Elysia with the same validator and passes; one we refuse never gets there.
 */
export class RouteBodies {
    private readonly cache = new Map<string, RouteBody>();

    constructor(private readonly app: () => AnyElysia | undefined) {}

    /** Compiles every route's entry now, so no first request pays for it. */
    warm(): void {
        for (const route of this.app()?.routes ?? []) this.of(route.method, route.path);
    }

    of(method: string, path: string): RouteBody {
        const key = `${method} ${path}`;
        let route = this.cache.get(key);
        if (!route) {
            route = this.compile(method, path);
            this.cache.set(key, route);
        }
        return route;
    }

    private compile(method: string, path: string): RouteBody {
        const app = this.app();
        const entry =
            app?.routes.find((route) => route.method === method && route.path === path) ??
            app?.routes.find((route) => route.method === "ALL" && route.path === path);
        const hooks = (entry?.hooks ?? {}) as RouteHooks;
        const parsers = (hooks.parse ?? []).map((parser) => parser.fn);
        const validator = app && hooks.body ? validatorOf(app, hooks) : undefined;
        return {
            raw: parsers.includes("none"),
            forcedJson: parsers.includes("json") || parsers.includes("application/json"),
            check: validator ? (body) => checkBody(validator, body) : () => {},
        };
    }
}

function validatorOf(app: AnyElysia, hooks: RouteHooks): Validator | undefined {
    const internals = app as unknown as AppInternals;
    return getSchemaValidator(
        hooks.body as Parameters<typeof getSchemaValidator>[0],
        {
            modules: internals.definitions.typebox,
            models: internals.definitions.type,
            normalize: internals.config.normalize,
            dynamic: !internals.config.aot,
            additionalCoerce: primitiveRootCoercion,
            validators: hooks.standaloneValidator?.map((validator) => validator.body),
            sanitize: () => internals.config.sanitize,
        } as Parameters<typeof getSchemaValidator>[1],
    );
}

/** The steps of Elysia's body validation (defaults, clean, check), on a candidate copy. */
function checkBody(validator: Validator, body: unknown): void {
    const v = validator as Validator & {
        provider?: string;
        hasDefault?: boolean;
        isOptional?: boolean;
        Clean?: (value: unknown) => unknown;
        Errors?: (value: unknown) => Iterable<{ path: string; message: string }>;
        schema: { type?: string };
    };
    if (v.provider === "standard" || !v.Errors) return;
    let candidate = body;
    if (v.hasDefault) {
        const defaults = Value.Default(
            v.schema as never,
            v.schema.type === "object" ? {} : undefined,
        );
        if (Array.isArray(defaults)) candidate ??= defaults;
        else if (defaults && typeof defaults === "object") {
            candidate = Object.assign(structuredClone(defaults), candidate);
        } else candidate ??= defaults;
    }
    if (v.Clean) {
        try {
            candidate = v.Clean(candidate);
        } catch {}
    }
    if (v.isOptional && !isNonEmptyObject(candidate)) return;
    if (v.Check(candidate)) return;
    const issues: ValidationIssue[] = [];
    for (const error of v.Errors(candidate)) {
        issues.push({ property: error.path || "/", message: error.message });
        if (issues.length >= maxIssues) break;
    }
    throw new RequestValidationError("body", issues);
}

function isNonEmptyObject(value: unknown): boolean {
    if (!value || typeof value !== "object") return false;
    if (value instanceof ArrayBuffer) return true;
    for (const _ in value) return true;
    return false;
}
