export { isProcessAlive, processCommandLine } from "../../utils/process-liveness";
export { acquireDataDirLock, DataDirInUseError, type DataDirLock } from "./data-dir-lock";
