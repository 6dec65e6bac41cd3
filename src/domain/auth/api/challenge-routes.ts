import { Elysia, t } from "elysia";
import type { ChallengeService } from "../services/challenge-service";
import { HexSchema } from "./schemas";

/** `POST /wallet/auth/challenge`: a fresh single-use WebAuthn challenge (login, register, SDK, ECDSA). */
export function challengeRoutes(challenges: ChallengeService) {
    return new Elysia().post("/wallet/auth/challenge", () => challenges.issue(), {
        detail: {
            summary: "Issue a WebAuthn challenge",
            description:
                "32 random bytes, valid 5 minutes, usable once. Use the bytes as the WebAuthn challenge and send the same hex as `expectedChallenge` / `challenge`. Required for registration (except ox's default creation challenge); logins also accept a client-generated challenge.",
            tags: ["auth"],
        },
        response: {
            200: t.Object({
                challenge: HexSchema,
                expiresAt: t.Number({ description: "ms since epoch" }),
            }),
        },
    });
}
