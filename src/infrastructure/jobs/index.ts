export { type Job, type JobDefinition, JobScheduler } from "./scheduler";
