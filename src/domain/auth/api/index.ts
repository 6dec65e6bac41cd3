export { businessLoginRoutes } from "./business-login-routes";
export { businessSessionRoutes } from "./business-session-routes";
export { challengeRoutes } from "./challenge-routes";
export { loginRoutes } from "./login-routes";
export { registerRoutes } from "./register-routes";
export { sdkRoutes } from "./sdk-routes";
export { sessionRoutes } from "./session-routes";
