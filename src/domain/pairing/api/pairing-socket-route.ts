import { Elysia, t } from "elysia";
import { errorBody } from "../../../infrastructure/errors/api-error";
import { clientIp } from "../../../infrastructure/http/client-ip";
import { ConnectionCounter } from "../services/connection-counter";
import { PairingCloseCode } from "../services/messages";
import type { PairingSocketService } from "../services/pairing-socket-service";
import type { PairingSocket } from "../services/pairing-socket-session";

/**
 * `WS /wallet/pairings/ws` (docs/pairing-protocol.md). The query is validated loosely on purpose: a
 * missing or bad token is a protocol answer (close 4401), not an HTTP error.
 */
export function pairingSocketRoute(
    service: PairingSocketService,
    limits: { maxPerIp: number; trustedProxyHops: number },
) {
    // Per connection; keyed by Elysia's socket id because each event gets a fresh wrapper.
    const sockets = new Map<string, { socket: PairingSocket; ip: string }>();
    // Each socket holds a file descriptor of this instance: one address may not take them all.
    const perIp = new ConnectionCounter(limits.maxPerIp);
    const ipOf = (request: Request, address: string | undefined) =>
        clientIp(request, address, limits.trustedProxyHops);
    return new Elysia({ name: "pairing-socket" }).ws("/wallet/pairings/ws", {
        query: t.Object({
            action: t.Optional(t.String()),
            id: t.Optional(t.String()),
            pairingCode: t.Optional(t.String()),
            wallet: t.Optional(t.String()),
        }),
        // Refused before the upgrade when the address is already at its cap (no socket made).
        beforeHandle({ request, server, status }) {
            if (perIp.isFull(ipOf(request, server?.requestIP(request)?.address))) {
                return status(429, errorBody("too_many_sockets", "Too many open sockets"));
            }
        },
        open(ws) {
            const { query, headers, request } = ws.data;
            const ip = ipOf(request, ws.remoteAddress);
            // Upgrades that passed the check together: the cap holds at open.
            if (!perIp.tryAcquire(ip)) {
                ws.close(PairingCloseCode.tooManySockets, "Too many sockets for this address");
                return;
            }
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
            sockets.set(ws.id, { socket, ip });
        },
        message(ws, message) {
            sockets.get(ws.id)?.socket.receive(message);
        },
        close(ws) {
            const entry = sockets.get(ws.id);
            if (!entry) return;
            sockets.delete(ws.id);
            perIp.release(entry.ip);
            entry.socket.disconnected();
        },
        detail: { summary: "Device pairing and remote signing", tags: ["pairing"] },
    });
}
