import { type ApiClient, type ApiSessions, createApiClient } from "../../src/client";
import type { TestApp } from "./test-app";

/** The typed client (src/client.ts) of a test app, with the given sessions. */
export const apiClient = (app: Pick<TestApp, "url">, sessions: ApiSessions = {}): ApiClient =>
    createApiClient(app.url, sessions);
