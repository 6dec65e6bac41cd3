import type { Domains } from "../domains";
import type { Infrastructure } from "../infrastructure";
import type { sessionMacros } from "../infrastructure/http";

/** What the route groups are built from: the infrastructure and the wired domains. */
export type ApiDependencies = {
    infra: Infrastructure;
    domains: Domains;
    sessionMacros: ReturnType<typeof sessionMacros>;
};
