import { randomUUID } from "node:crypto";

/** Per-request data that must survive until the response is logged, keyed by the Request. */
type RequestContext = { id: string; startedAt: number };

const contexts = new WeakMap<Request, RequestContext>();
const acceptedRequestId = /^[A-Za-z0-9._:-]{1,128}$/;

export function beginRequest(request: Request): RequestContext {
    const incoming = request.headers.get("x-request-id");
    const context = {
        // Keep a caller's correlation id when it is safe to log; otherwise make our own.
        id: incoming && acceptedRequestId.test(incoming) ? incoming : randomUUID(),
        startedAt: performance.now(),
    };
    contexts.set(request, context);
    return context;
}

export function requestIdOf(request: Request): string | undefined {
    return contexts.get(request)?.id;
}

export function requestContextOf(request: Request): RequestContext | undefined {
    return contexts.get(request);
}
