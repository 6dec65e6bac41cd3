import { type Address, type Hex, isAddress } from "viem";
import { newInteractionId } from "../../../infrastructure/blockchain";
import { ApiError } from "../../../infrastructure/errors/api-error";
import type { Database } from "../../../infrastructure/persistence";
import {
    type MerchantWebhookSignature,
    STANDARD_WEBHOOKS_TOLERANCE_SECONDS,
    verifyMerchantWebhook,
} from "../../../utils/standard-webhooks";
import type { InteractionChainReader } from "../repositories/interaction-chain-reader";
import type { InteractionsWebhooksRepository } from "../repositories/interactions-webhooks-repository";
import type { PendingInteractionsRepository } from "../repositories/pending-interactions-repository";
import type { WebhookDeliveriesRepository } from "../repositories/webhook-deliveries-repository";
import { type EncodedInteraction, encodeRawInteraction } from "./raw-interaction";
import { requestedProductId } from "./requested-product-id";

export type SdkInteraction = {
    wallet: Address;
    productId: Hex;
    interaction: EncodedInteraction;
    /** Accepted for compatibility, not used: on-chain signatures cover our unique id. */
    signature?: Hex | null;
};

export type WebhookPushKind = "push" | "pushRaw";

/**
 * Entry points into the queue: the SDK push and the merchants' server-to-server pushes. Each
 * interaction gets its unique on-chain id here; writers then only wake the simulation job.
 */
export class InteractionIntake {
    constructor(
        private readonly deps: {
            db: Database;
            chain: InteractionChainReader;
            pending: PendingInteractionsRepository;
            webhooks: InteractionsWebhooksRepository;
            deliveries: WebhookDeliveriesRepository;
            /** How long an identical legacy (`x-hmac-sha256`) body is refused as a replay. */
            replayWindowMs: number;
            onQueued: () => void;
        },
    ) {}

    /** Returns the queued rows' ids as strings (the seed's response). */
    async pushFromSdk(sessionWallet: Address, interactions: SdkInteraction[]): Promise<string[]> {
        if (interactions.length === 0) return [];
        if (interactions.some((i) => i.wallet.toLowerCase() !== sessionWallet.toLowerCase())) {
            throw new ApiError("invalid_wallet", "Invalid wallet address");
        }
        const normalised = interactions.map((i) => ({
            ...i,
            productId: requestedProductId(i.productId),
        }));
        // Interactions of products without an interaction contract are dropped (seed behaviour).
        const products = [...new Set(normalised.map((i) => i.productId))];
        const withContract = new Set<Hex>();
        await Promise.all(
            products.map(async (productId) => {
                if (await this.deps.chain.interactionContractOf(productId))
                    withContract.add(productId);
            }),
        );
        const kept = normalised.filter((i) => withContract.has(i.productId));
        const ids = await this.deps.pending.insert(
            this.deps.db,
            kept.map((i) => toRow(i.wallet, i.productId, i.interaction)),
        );
        if (ids.length > 0) this.deps.onQueued();
        return ids.map(String);
    }

    /**
     * Verify, then process: the product's webhook key must sign the raw body bytes (401 and
     * nothing written otherwise) before the body is even parsed. Each delivery is accepted once:
     * a Standard Webhooks `webhook-id` (its timestamp within 5 minutes), or a legacy body within
     * the replay window; a replay is answered like the original and queues nothing.
     */
    async pushFromWebhook(params: {
        kind: WebhookPushKind;
        productId: Hex;
        /** Read only once the product's webhook is known. */
        readBody(): Promise<Uint8Array>;
        signature: MerchantWebhookSignature;
    }): Promise<void> {
        const { hmac, standard } = params.signature;
        if (!hmac && standard.signature === undefined) {
            throw new ApiError("missing_hmac", "Missing hmac");
        }
        const productId = requestedProductId(params.productId);
        const webhook = await this.deps.webhooks.find(this.deps.db, productId);
        if (!webhook) {
            throw new ApiError("tracker_not_found", "Product backend tracker not found");
        }
        const raw = await params.readBody();
        const signed = verifyMerchantWebhook(webhook.hookSignatureKey, raw, params.signature);
        if (!signed.ok) throw new ApiError("invalid_signature", refusalMessage(signed.reason));
        const body = parseJson(raw);
        const { wallet, interaction } = params.kind === "push" ? encodedBody(body) : rawBody(body);
        if (!(await this.deps.chain.interactionContractOf(productId))) {
            throw new ApiError("no_interaction_contract", "No diamond found for the product");
        }
        const windowMs =
            signed.form === "standard" ? standardReplayWindowMs : this.deps.replayWindowMs;
        const queued = await this.deps.db.transaction(async (tx) => {
            const fresh = await this.deps.deliveries.acceptOnce(tx, {
                productId,
                deliveryKey: signed.deliveryKey,
                windowStart: new Date(Date.now() - windowMs),
            });
            if (!fresh) return false;
            await this.deps.pending.insert(tx, [toRow(wallet, productId, interaction, "merchant")]);
            return true;
        });
        if (queued) this.deps.onQueued();
    }

    /** Forgets accepted deliveries that can no longer be replayed inside their window. */
    pruneDeliveries(): Promise<number> {
        const longest = Math.max(this.deps.replayWindowMs, standardReplayWindowMs);
        return this.deps.deliveries.prune(this.deps.db, new Date(Date.now() - longest));
    }
}

/**
 * A Standard Webhooks `webhook-id` is refused again while its timestamp could still pass the
 * 5-minute tolerance (either side of now), with a minute of margin for clock skew.
 */
const standardReplayWindowMs = (2 * STANDARD_WEBHOOKS_TOLERANCE_SECONDS + 60) * 1000;

function refusalMessage(reason: string): string {
    if (reason === "hmac_mismatch") return "Invalid hmac";
    if (reason === "timestamp_outside_tolerance") {
        return "Webhook timestamp outside the 5 minutes tolerance";
    }
    return "Invalid signature";
}

function toRow(
    wallet: Address,
    productId: Hex,
    interaction: EncodedInteraction,
    source: "wallet" | "merchant" = "wallet",
) {
    return {
        source,
        interactionId: newInteractionId(),
        wallet: wallet.toLowerCase() as Hex,
        productId,
        typeDenominator: evenHex(interaction.handlerTypeDenominator),
        interactionData: evenHex(interaction.interactionData),
    };
}

/** Bytes columns need whole bytes: `0x1` is stored as `0x01`. */
function evenHex(value: Hex): Hex {
    const digits = value.slice(2).toLowerCase();
    return `0x${digits.length % 2 ? "0" : ""}${digits}`;
}

function parseJson(body: Uint8Array): Record<string, unknown> {
    try {
        const parsed: unknown = JSON.parse(new TextDecoder().decode(body));
        if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
            return parsed as Record<string, unknown>;
        }
    } catch {
        // fall through
    }
    throw new ApiError("malformed_body", "The request body is not valid JSON");
}

const invalidBody = () => new ApiError("invalid_body", "Invalid body");

const isHexString = (value: unknown): value is Hex =>
    typeof value === "string" && /^0x[0-9a-fA-F]*$/.test(value);

function encodedBody(body: Record<string, unknown>) {
    const { wallet, interaction } = body;
    if (typeof wallet !== "string" || !isAddress(wallet) || !interaction) throw invalidBody();
    const { handlerTypeDenominator, interactionData } = interaction as Record<string, unknown>;
    if (!isHexString(handlerTypeDenominator) || !isHexString(interactionData)) throw invalidBody();
    return { wallet, interaction: { handlerTypeDenominator, interactionData } };
}

function rawBody(body: Record<string, unknown>) {
    const { wallet, key, data } = body;
    if (
        typeof wallet !== "string" ||
        !isAddress(wallet) ||
        typeof key !== "string" ||
        !Array.isArray(data)
    ) {
        throw invalidBody();
    }
    const interaction = encodeRawInteraction(key, data);
    if (!interaction) throw new ApiError("invalid_raw_interaction", "Invalid raw interaction");
    return { wallet, interaction };
}
