import { Elysia } from "elysia";
import type { Address } from "viem";
import type { sessionMacros } from "../../../infrastructure/http";
import type { BalanceService } from "../services/balance-service";
import { BalancesModel, ClaimablesModel, TokenAmountModel } from "./models";

/** `/wallet/balance*`: the wallet's tokens, claimable rewards and "pending" welcome balance. */
export function balanceRoutes(macros: ReturnType<typeof sessionMacros>, service: BalanceService) {
    return new Elysia({ name: "wallet-balance", prefix: "/balance" })
        .use(macros)
        .get("", ({ walletSession }) => service.balancesOf(walletSession.address as Address), {
            withWalletAuthent: true,
            response: { 200: BalancesModel },
            detail: { summary: "On-chain token balances with fiat values", tags: ["wallet"] },
        })
        .get(
            "/claimable",
            ({ walletSession }) => service.claimablesOf(walletSession.address as Address),
            {
                withWalletAuthent: true,
                response: { 200: ClaimablesModel },
                detail: { summary: "Claimable campaign rewards", tags: ["wallet"] },
            },
        )
        .get(
            "/pending",
            ({ walletSession }) => service.pendingOf(walletSession.address as Address),
            {
                withWalletAuthent: true,
                response: { 200: TokenAmountModel },
                detail: { summary: "Heuristic pending welcome balance", tags: ["wallet"] },
            },
        );
}
