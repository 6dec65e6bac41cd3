/** Public door of the interactions domain. */
export { createInteractionsDomain } from "./context";
export type { AudienceFilter } from "./repositories/audience-repository";
export { normalizeProductId } from "./services/product-id";

import type { createInteractionsDomain } from "./context";

export type InteractionsDomain = ReturnType<typeof createInteractionsDomain>;
