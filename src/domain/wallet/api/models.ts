import { t } from "elysia";

export const TokenAmountSchema = t.Object({
    amount: t.Number(),
    eurAmount: t.Number(),
    usdAmount: t.Number(),
    gbpAmount: t.Number(),
});

const pricedFields = {
    amount: t.Number(),
    eurAmount: t.Number(),
    usdAmount: t.Number(),
    gbpAmount: t.Number(),
    token: t.String(),
    name: t.String(),
    symbol: t.String(),
    decimals: t.Number(),
    rawBalance: t.String({ description: "Raw token units, hex" }),
    priceAvailable: t.Boolean({ description: "False when no price was found: fiat values are 0" }),
};

export const TotalSchema = t.Object({
    amount: t.Number({
        description: "US dollar total (token amounts of different tokens do not add up)",
    }),
    eurAmount: t.Number(),
    usdAmount: t.Number(),
    gbpAmount: t.Number(),
    priceAvailable: t.Boolean(),
});

export const BalancesSchema = t.Object({
    total: TotalSchema,
    balances: t.Array(t.Object(pricedFields)),
});

export const ClaimablesSchema = t.Object({
    total: TotalSchema,
    claimables: t.Array(
        t.Object({ ...pricedFields, contract: t.String({ description: "Campaign bank" }) }),
    ),
});

export const RateSchema = t.Object({ usd: t.Number(), eur: t.Number(), gbp: t.Number() });

const text = (maxLength = 512) => t.String({ maxLength });

/** The two lead shapes of the seed; either one is accepted for either table. */
export const LeadBodySchema = t.Union(
    [
        t.Object({
            lastName: text(),
            firstName: text(),
            company: text(),
            phone: text(),
            email: text(320),
            position: text(),
            country: text(),
            url: t.Optional(text(2048)),
        }),
        t.Object({
            lastName: text(),
            firstName: text(),
            company: text(),
            phone: text(),
            email: text(320),
            url: t.Optional(text(2048)),
            visits: t.Number(),
            channels: t.Array(text(), { maxItems: 50 }),
        }),
    ],
    {
        examples: [
            {
                lastName: "Martin",
                firstName: "Alice",
                company: "Shoe shop",
                phone: "+33 6 12 34 56 78",
                email: "alice@shoe.example",
                position: "CMO",
                country: "France",
            },
        ],
    },
);
