/** The pairing HTTP routes under /wallet/pairings (the socket protocol: pairing-protocol.test.ts). */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readJson, type TestApp } from "../support/test-app";
import {
    initiatePairing,
    pairDevices,
    pairingRowOf,
    randomWallet,
    startPairingServer,
    webauthnToken,
} from "./support";

let server: TestApp;

beforeAll(async () => {
    server = await startPairingServer();
});

afterAll(async () => {
    await server?.stop();
});

const initiate = () => initiatePairing(server);
const pairingRow = (pairingId: string) => pairingRowOf(server, pairingId);

describe("GET /wallet/pairings/find/:id, /list; POST /:id/delete", () => {
    test("find: 404 for an unknown id, no code in the answer, no auth needed", async () => {
        const missing = await server.request(
            `/wallet/pairings/find/${encodeURIComponent("a b/../é")}`,
        );
        expect(missing.status).toBe(404);
        expect(await readJson(missing)).toEqual({
            error: "pairing_not_found",
            message: "Pairing not found",
        });
        const { origin, pairingId } = await initiate();
        const found = await readJson(await server.request(`/wallet/pairings/find/${pairingId}`));
        expect(Object.keys(found).sort()).toEqual(["createdAt", "id", "originName"]);
        origin.close();
    });

    test("list: 401 without a session, empty for a wallet without pairings", async () => {
        expect((await server.request("/wallet/pairings/list")).status).toBe(401);
        const token = await webauthnToken(server, randomWallet());
        const listed = await server.request("/wallet/pairings/list", {
            headers: { "x-wallet-auth": token },
        });
        expect(await readJson(listed)).toEqual([]);
    });

    test("delete: 401, 404 not found, 404 not yet resolved, 403 for another wallet", async () => {
        const paired = await pairDevices(server);
        const other = await webauthnToken(server, randomWallet());
        const post = (id: string, token?: string) =>
            server.request(`/wallet/pairings/${id}/delete`, {
                method: "POST",
                headers: token ? { "x-wallet-auth": token } : {},
            });
        expect((await post(paired.pairingId)).status).toBe(401);
        const missing = await post("missing", other);
        expect([missing.status, (await readJson(missing)).message]).toEqual([
            404,
            "Pairing not found",
        ]);
        const { origin, pairingId } = await initiate();
        const unresolved = await post(pairingId, other);
        expect([unresolved.status, (await readJson(unresolved)).message]).toEqual([
            404,
            "Pairing not yet resolved",
        ]);
        const forbidden = await post(paired.pairingId, other);
        expect([forbidden.status, (await readJson(forbidden)).message]).toEqual([403, "Forbidden"]);
        expect(paired.origin.isOpen && paired.target.isOpen).toBe(true);
        origin.close();
        paired.origin.close();
        paired.target.close();
    });

    test("delete by the owner: 200, and the pairing's open sockets are closed", async () => {
        const paired = await pairDevices(server);
        // The same phone also serves a second desktop: its socket stays open for that one.
        const second = await pairDevices(server, server, paired.wallet);
        const deleted = await server.request(`/wallet/pairings/${paired.pairingId}/delete`, {
            method: "POST",
            headers: { "x-wallet-auth": paired.phoneToken },
        });
        expect(deleted.status).toBe(200);
        expect(await deleted.text()).toBe("");
        expect(await paired.origin.waitClose()).toEqual({ code: 4404, reason: "Pairing deleted" });
        expect(await paired.target.waitClose()).toEqual({ code: 4404, reason: "Pairing deleted" });
        expect(await pairingRow(paired.pairingId)).toBeUndefined();
        // `second.target` joined the second pairing and listens to both: it keeps the second.
        expect(second.target.isOpen).toBe(true);
        second.origin.send({ type: "ping" });
        expect((await second.target.next("ping")).payload.pairingId).toBe(second.pairingId);
        second.origin.close();
        second.target.close();
    });
});
