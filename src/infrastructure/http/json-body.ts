import { ApiError } from "../errors/api-error";
import { RequestValidationError } from "./request-validation-error";

/**
 * Parses a JSON body after a linear scan of its nesting, so a 400 KB `[[[[...` is refused in a
 * millisecond instead of reaching the parser, the validator and the error formatter (all
 * recursive). Strings that hold a NUL character are refused too: PostgreSQL cannot store them.
 */
export type JsonBounds = { maxDepth: number; maxValues: number };

export function parseJsonBody(bytes: Uint8Array, bounds: JsonBounds): unknown {
    const shape = shapeOf(bytes, bounds);
    if (shape === "too_deep") {
        throw new ApiError(
            "body_too_deep",
            `The request body nests arrays and objects deeper than ${bounds.maxDepth} levels`,
        );
    }
    if (shape === "too_many_values") {
        throw new ApiError(
            "body_too_large",
            `The request body holds more than ${bounds.maxValues} JSON values`,
        );
    }
    const text = new TextDecoder().decode(bytes);
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch {
        throw new ApiError("malformed_body", "The request body is not valid JSON");
    }
    // A NUL can only come from the \u0000 escape (a raw control character is invalid JSON).
    if (text.includes("\\u0000")) {
        const path = pathOfNul(value, "");
        if (path !== undefined) {
            throw new RequestValidationError("body", [
                { property: path || "/", message: "Must not contain a NUL (\\u0000) character" },
            ]);
        }
    }
    return value;
}

/**
 * One pass over the bytes, outside strings: nesting depth and a count of values (array items
 * and object members, from the separators). Parsing costs in proportion to the values, so a
 * megabyte of `1,1,1,...` is refused here rather than allocated.
 */
function shapeOf(bytes: Uint8Array, bounds: JsonBounds): "ok" | "too_deep" | "too_many_values" {
    let depth = 0;
    let values = 1;
    let inString = false;
    for (let index = 0; index < bytes.length; index++) {
        const byte = bytes[index];
        if (inString) {
            if (byte === 92) index++;
            else if (byte === 34) inString = false;
        } else if (byte === 34) {
            inString = true;
        } else if (byte === 44) {
            if (++values > bounds.maxValues) return "too_many_values";
        } else if (byte === 91 || byte === 123) {
            if (++depth > bounds.maxDepth) return "too_deep";
            if (++values > bounds.maxValues) return "too_many_values";
        } else if (byte === 93 || byte === 125) {
            depth--;
        }
    }
    return "ok";
}

/** JSON pointer of the first string (key or value) holding a NUL; bounded by the depth scan. */
function pathOfNul(value: unknown, path: string): string | undefined {
    if (typeof value === "string") return value.includes("\0") ? path : undefined;
    if (value === null || typeof value !== "object") return undefined;
    for (const [key, child] of Object.entries(value)) {
        const childPath = `${path}/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`;
        if (key.includes("\0")) return childPath;
        const found = pathOfNul(child, childPath);
        if (found !== undefined) return found;
    }
    return undefined;
}
