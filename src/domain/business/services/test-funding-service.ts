import { type Address, parseEther } from "viem";
import { SIGNER_LABELS, testStablecoinAbi } from "../../../infrastructure/blockchain";
import type { Chain } from "../../../infrastructure/chain";
import { rethrowChainUnavailable } from "../../../infrastructure/chain";
import { ApiError } from "../../../infrastructure/errors/api-error";
import type { ProductRegistryChainReader } from "../repositories/product-registry-chain-reader";
import { type Stablecoin, tokenOf } from "./stablecoins";

/** The seed's top-ups: mUSD up to 1000 at a time, 11 of a named stablecoin. */
const MUSD_TOP_UP = { threshold: parseEther("1000"), amount: parseEther("1000") };
const STABLECOIN_TOP_UP = { threshold: parseEther("50"), amount: parseEther("11") };

/**
 * Test tokens for a campaign bank, outside production only and for a business session. Every
 * top-up is a `mint` from the backend's `minter` signer (a minter of all our test tokens), so
 * there is no pre-funded account to drain and one nonce lock orders it with the product mints.
 * Answers once the transaction is mined.
 */
export class TestFundingService {
    constructor(
        private readonly chain: Pick<Chain, "clients" | "deployment" | "signers">,
        private readonly registry: ProductRegistryChainReader,
        private readonly isRunningInProd: boolean,
    ) {}

    /** Production: 404 whoever asks, as if the route did not exist. */
    assertAvailable(): void {
        if (this.isRunningInProd) throw new ApiError("not_found", "Not found");
    }

    async topUp(
        sessionWallet: Address | undefined,
        bank: Address,
        stablecoin: Stablecoin | undefined,
    ): Promise<{ funded: boolean }> {
        this.assertAvailable();
        if (!sessionWallet) throw new ApiError("unauthorized", "Unauthorized");
        const token = stablecoin
            ? tokenOf(this.chain.deployment, stablecoin)
            : this.chain.deployment.tokens.mUSD;
        const { threshold, amount } = stablecoin ? STABLECOIN_TOP_UP : MUSD_TOP_UP;
        try {
            if ((await this.registry.balanceOf(token, bank)) > threshold) return { funded: false };
            const { clients, signers } = this.chain;
            const hash = await signers.send(SIGNER_LABELS.minter, ({ wallet, nonce }) =>
                wallet.writeContract({
                    address: token,
                    abi: testStablecoinAbi,
                    functionName: "mint",
                    args: [bank, amount],
                    nonce,
                }),
            );
            await clients.waitForReceipt(hash);
            return { funded: true };
        } catch (error) {
            return rethrowChainUnavailable(error);
        }
    }
}
