export { hexBytes } from "./columns";
export {
    type Database,
    type DatabaseHandle,
    type Executor,
    openDatabase,
    type Transaction,
} from "./database";
export { isUniqueViolation } from "./sql-state";
export { isDatabaseUnavailable, isUnstorableText } from "./unavailable";
