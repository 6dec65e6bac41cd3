export { Metrics } from "./metrics";
