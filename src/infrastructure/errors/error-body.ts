import { type Static, Type as T } from "@sinclair/typebox";
import type { ErrorCode } from "./error-codes";

/**
 * The body of every error, as TypeBox: the one schema the OpenAPI error responses are built from
 * (`apiErrors` in infrastructure/http/openapi-contract.ts) and the type the error handler renders.
 * `codes` documents which catalogue codes a response carries; the schema itself accepts any
 * string, so a response is never refused for naming a code.
 */
export function errorBodySchema(codes?: readonly ErrorCode[]) {
    const named = codes?.length ? { "x-error-codes": [...codes] } : {};
    return T.Object(
        {
            error: T.String({
                description: "Stable error code (docs/errors.md)",
                ...(codes?.length ? { examples: [...codes] } : {}),
            }),
            message: T.String({ description: "Human-readable explanation" }),
        },
        named,
    );
}

export const ErrorBodySchema = errorBodySchema();

export type ErrorBody = Static<typeof ErrorBodySchema> & { error: ErrorCode };

export const errorBody = (code: ErrorCode, message: string): ErrorBody => ({
    error: code,
    message,
});
