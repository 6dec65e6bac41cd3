export { ApiError, type ErrorBody, errorBody } from "../errors/api-error";
export { cors } from "./cors";
export { errorHandler } from "./error-handler";
export {
    type ErrorRepresentation,
    errorRepresentationFor,
    errorResponse,
    representError,
} from "./error-representation";
export { openapiDocs } from "./openapi";
export { requestIdOf } from "./request-context";
export { requestLogger } from "./request-logger";
export { isOwnDeviceSession, sessionMacros } from "./session-macros";
