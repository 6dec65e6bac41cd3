import { type Address, type Hex, isAddress } from "viem";
import { newInteractionId } from "../../../infrastructure/blockchain";
import { ApiError } from "../../../infrastructure/errors/api-error";
import type { Database } from "../../../infrastructure/persistence";
import { verifyBodyHmac } from "../../../utils/body-hmac";
import type { BackendTrackersRepository } from "../repositories/backend-trackers-repository";
import type { InteractionChainReader } from "../repositories/interaction-chain-reader";
import type { PendingInteractionsRepository } from "../repositories/pending-interactions-repository";
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
            trackers: BackendTrackersRepository;
            onQueued: () => void;
        },
    ) {}

    /** Returns the queued rows' ids as strings (the seed's response). */
    async pushFromSdk(sessionWallet: Address, interactions: SdkInteraction[]): Promise<string[]> {
        if (interactions.length === 0) return [];
        if (interactions.some((i) => i.wallet.toLowerCase() !== sessionWallet.toLowerCase())) {
            throw new ApiError(403, "invalid_wallet", "Invalid wallet address");
        }
        const normalized = interactions.map((i) => ({
            ...i,
            productId: requestedProductId(i.productId),
        }));
        // Interactions of products without an interaction contract are dropped (seed behaviour).
        const products = [...new Set(normalized.map((i) => i.productId))];
        const withContract = new Set<Hex>();
        await Promise.all(
            products.map(async (productId) => {
                if (await this.deps.chain.interactionContractOf(productId))
                    withContract.add(productId);
            }),
        );
        const kept = normalized.filter((i) => withContract.has(i.productId));
        const ids = await this.deps.pending.insert(
            this.deps.db,
            kept.map((i) => toRow(i.wallet, i.productId, i.interaction)),
        );
        if (ids.length > 0) this.deps.onQueued();
        return ids.map(String);
    }

    /**
     * Verify, then process: the product's tracker key must sign the raw body bytes (401 and
     * nothing written otherwise) before the body is even parsed.
     */
    async pushFromWebhook(params: {
        kind: WebhookPushKind;
        productId: Hex;
        /** Read only once the product's tracker is known. */
        readBody(): Promise<Uint8Array>;
        hmac: string | undefined;
    }): Promise<void> {
        if (!params.hmac) throw new ApiError(400, "missing_hmac", "Missing hmac");
        const productId = requestedProductId(params.productId);
        const tracker = await this.deps.trackers.find(this.deps.db, productId);
        if (!tracker) {
            throw new ApiError(404, "tracker_not_found", "Product backend tracker not found");
        }
        const raw = await params.readBody();
        if (!verifyBodyHmac(tracker.hookSignatureKey, raw, params.hmac)) {
            throw new ApiError(401, "invalid_signature", "Invalid hmac");
        }
        const body = parseJson(raw);
        const { wallet, interaction } = params.kind === "push" ? encodedBody(body) : rawBody(body);
        if (!(await this.deps.chain.interactionContractOf(productId))) {
            throw new ApiError(400, "no_interaction_contract", "No diamond found for the product");
        }
        await this.deps.pending.insert(this.deps.db, [
            toRow(wallet, productId, interaction, "merchant"),
        ]);
        this.deps.onQueued();
    }
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
    throw new ApiError(400, "malformed_body", "The request body is not valid JSON");
}

const invalidBody = () => new ApiError(400, "invalid_body", "Invalid body");

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
    if (!interaction) throw new ApiError(400, "invalid_raw_interaction", "Invalid raw interaction");
    return { wallet, interaction };
}
