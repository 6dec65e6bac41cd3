/** Public door of the interactions domain. */
export { createInteractionsDomain } from "./context";
export type { AudienceFilter } from "./repositories/audience-repository";

import type { createInteractionsDomain } from "./context";

export type InteractionsDomain = ReturnType<typeof createInteractionsDomain>;
