import { t } from "elysia";
import { AddressSchema, ProductIdSchema } from "../../../utils/schemas";

/** The browser's PushSubscription JSON, as `PUT /wallet/notifications/tokens` receives it. */
export const PushSubscriptionSchema = t.Object(
    {
        subscription: t.Object({
            endpoint: t.String({
                // Only URLs we can deliver to; a push service is always http(s).
                pattern: "^https?://[^\\s]+$",
                maxLength: 2048,
                description: "Push service endpoint URL",
            }),
            keys: t.Object({
                p256dh: t.String({ minLength: 1, maxLength: 256 }),
                auth: t.String({ minLength: 1, maxLength: 256 }),
            }),
            expirationTime: t.Optional(
                t.Nullable(
                    // Bounded to the range a Date can hold: anything else is not a real expiry.
                    t.Number({
                        minimum: 0,
                        maximum: 8.64e15,
                        description: "Expiry in milliseconds since the epoch",
                    }),
                ),
            ),
        }),
    },
    {
        examples: [
            {
                subscription: {
                    endpoint: "https://fcm.googleapis.com/fcm/send/dQw4w9WgXcQ:APA91bH",
                    keys: {
                        p256dh: "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
                        auth: "tBHItJI5svbpez7KI4CCXg",
                    },
                    expirationTime: null,
                },
            },
        ],
    },
);

const NumberRangeSchema = t.Object({ min: t.Optional(t.Number()), max: t.Optional(t.Number()) });
/** Raw token amounts as uint256 hex. */
const Uint256HexSchema = t.String({
    pattern: "^0x[0-9a-fA-F]{1,64}$",
    description: "uint256 as hex",
});
const HexRangeSchema = t.Object({
    min: t.Optional(Uint256HexSchema),
    max: t.Optional(Uint256HexSchema),
});

const NotificationPayloadSchema = t.Object({
    title: t.String(),
    body: t.String(),
    badge: t.Optional(t.String()),
    icon: t.Optional(t.String()),
    lang: t.Optional(t.String()),
    tag: t.Optional(t.String()),
    requireInteraction: t.Optional(t.Boolean()),
    silent: t.Optional(t.Boolean()),
    data: t.Optional(t.Object({ url: t.Optional(t.String()) })),
    actions: t.Optional(
        t.Array(t.Object({ action: t.String(), title: t.String(), icon: t.Optional(t.String()) })),
    ),
});

/**
 * `targets` is either `{ wallets }` or `{ filter }`. Written as one object with exactly one
 * property rather than a union: Elysia 1.4 normalises a union whose branch is an all-optional
 * object into that branch, which turned `{ wallets: ["0x123"] }` into `{ filter: {} }`
 * (everyone) instead of a 422.
 */
export const SendNotificationSchema = t.Object(
    {
        targets: t.Object(
            {
                wallets: t.Optional(t.Array(AddressSchema)),
                filter: t.Optional(
                    t.Object({
                        productIds: t.Optional(t.Array(ProductIdSchema)),
                        interactions: t.Optional(NumberRangeSchema),
                        rewards: t.Optional(HexRangeSchema),
                        firstInteractionTimestamp: t.Optional(NumberRangeSchema),
                    }),
                ),
            },
            {
                minProperties: 1,
                maxProperties: 1,
                additionalProperties: false,
                description: "Either `{ wallets }` or `{ filter }`",
            },
        ),
        payload: NotificationPayloadSchema,
    },
    {
        examples: [
            {
                targets: {
                    filter: {
                        productIds: [
                            "0x7a1e5b2c9d8f3e4a6b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a",
                        ],
                    },
                },
                payload: { title: "Spring sale", body: "-20% on running shoes this week" },
            },
        ],
    },
);

export const SendNotificationResultSchema = t.Object({
    queued: t.Integer({
        description:
            "Subscriptions of the targeted wallets the message is sent to (delivery continues after the answer; outcomes per subscription are not reported)",
    }),
    skipped: t.Integer({
        description: "Target wallets dropped: never interacted with the caller's products",
    }),
});
