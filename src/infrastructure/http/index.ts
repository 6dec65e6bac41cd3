export { type ErrorBody, errorBody } from "../errors/error-body";
export { RouteBodies } from "./body-validators";
export { payloadTooLarge, readBodyWithin } from "./bounded-body";
export { cors } from "./cors";
export { errorHandler } from "./error-handler";
export {
    type ErrorRepresentation,
    errorRepresentationFor,
    errorResponse,
    representError,
} from "./error-representation";
export { type OpenApiDocsOptions, openapiDocs } from "./openapi";
export {
    API_TAGS,
    type ApiTag,
    apiErrors,
    completeOpenApiDocument,
} from "./openapi-contract";
export { requestBodies } from "./request-bodies";
export { requestIdOf } from "./request-context";
export { requestLogger } from "./request-logger";
export {
    isOwnDeviceSession,
    type ProductRoleName,
    type SessionMacroDeps,
    type SessionMacros,
    sessionMacros,
} from "./session-macros";
