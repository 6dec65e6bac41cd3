/** Public door of the notifications domain. */
export { createNotificationsDomain } from "./context";
export type {
    InteractionAudience,
    InteractionAudienceFilter,
    NotificationsPorts,
    RewardTotals,
} from "./ports";
export type { NotificationPayload } from "./services/broadcast-service";
export { SIGNATURE_REQUEST_NOTIFICATION } from "./services/signature-request-notifier";

import type { createNotificationsDomain } from "./context";

export type NotificationsDomain = ReturnType<typeof createNotificationsDomain>;
