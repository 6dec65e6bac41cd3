import { Elysia } from "elysia";
import type { SessionMacros } from "../../../infrastructure/http";
import type { BalanceService } from "../services/balance-service";
import { BalancesSchema, ClaimablesSchema, TokenAmountSchema } from "./models";

/** `/wallet/balance*`: the wallet's tokens, claimable rewards and "pending" welcome balance. */
export function balanceRoutes(macros: SessionMacros, service: BalanceService) {
    return new Elysia({ name: "wallet-balance" })
        .use(macros)
        .get("/wallet/balance", ({ walletSession }) => service.balancesOf(walletSession.address), {
            withWalletAuthent: true,
            response: { 200: BalancesSchema },
            detail: { summary: "On-chain token balances with fiat values", tags: ["wallet"] },
        })
        .get(
            "/wallet/balance/claimable",
            ({ walletSession }) => service.claimablesOf(walletSession.address),
            {
                withWalletAuthent: true,
                response: { 200: ClaimablesSchema },
                detail: { summary: "Claimable campaign rewards", tags: ["wallet"] },
            },
        )
        .get(
            "/wallet/balance/pending",
            ({ walletSession }) => service.pendingOf(walletSession.address),
            {
                withWalletAuthent: true,
                response: { 200: TokenAmountSchema },
                detail: { summary: "Heuristic pending welcome balance", tags: ["wallet"] },
            },
        );
}
