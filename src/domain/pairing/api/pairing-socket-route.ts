import { Elysia, t } from "elysia";
import type { PairingSocketService } from "../services/pairing-socket-service";
import type { PairingSocket } from "../services/pairing-socket-session";

/**
 * `WS /wallet/pairings/ws` (docs/pairing-protocol.md). The query is validated loosely on purpose: a
 * missing or bad token is a protocol answer (close 4401), not an HTTP error.
 */
export function pairingSocketRoute(service: PairingSocketService) {
    // Per connection; keyed by Elysia's socket id because each event gets a fresh wrapper.
    const sockets = new Map<string, PairingSocket>();
    return new Elysia({ name: "pairing-socket" }).ws("/pairings/ws", {
        query: t.Object({
            action: t.Optional(t.String()),
            id: t.Optional(t.String()),
            pairingCode: t.Optional(t.String()),
            wallet: t.Optional(t.String()),
        }),
        open(ws) {
            const { query, headers } = ws.data;
            const socket = service.connect(
                {
                    send: (message) => ws.send(JSON.stringify(message)),
                    close: (code, reason) => ws.close(code, reason),
                },
                {
                    action: query.action,
                    pairingId: query.id,
                    pairingCode: query.pairingCode,
                    walletToken: query.wallet,
                    userAgent: headers["user-agent"],
                },
            );
            sockets.set(ws.id, socket);
        },
        message(ws, message) {
            sockets.get(ws.id)?.receive(message);
        },
        close(ws) {
            sockets.get(ws.id)?.disconnected();
            sockets.delete(ws.id);
        },
        detail: { summary: "Device pairing and remote signing", tags: ["pairing"] },
    });
}
