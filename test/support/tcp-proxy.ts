import type { Socket, TCPSocketListener } from "bun";

/**
 * A TCP proxy on loopback in front of a real dependency (PostgreSQL, Redis, anvil) so a test can
 * make that dependency unreachable - refuse new connections and cut open ones - and bring it
 * back, without stopping the shared server itself.
 */
export type TcpProxy = {
    port: number;
    /** Closes the listener and every proxied connection: clients see the dependency down. */
    cut(): void;
    /** Listens again on the same port. */
    restore(): void;
    stop(): void;
};

type Pair = { client: Socket<Pair>; upstream?: Socket<Pair>; pending: Uint8Array[] };

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
    const open = new Set<Pair>();
    let listener: TCPSocketListener<Pair> | undefined;
    let port = 0;

    const listen = () => {
        listener = Bun.listen<Pair>({
            hostname: "127.0.0.1",
            port,
            socket: {
                open(client) {
                    const pair: Pair = { client, pending: [] };
                    client.data = pair;
                    open.add(pair);
                    Bun.connect<Pair>({
                        hostname: targetHost,
                        port: targetPort,
                        data: pair,
                        socket: {
                            open(upstream) {
                                pair.upstream = upstream;
                                for (const chunk of pair.pending) upstream.write(chunk);
                                pair.pending = [];
                            },
                            data(_upstream, chunk) {
                                pair.client.write(chunk);
                            },
                            close() {
                                pair.client.end();
                                open.delete(pair);
                            },
                            error() {
                                pair.client.end();
                            },
                        },
                    }).catch(() => client.end());
                },
                data(client, chunk) {
                    const pair = client.data;
                    if (pair.upstream) pair.upstream.write(chunk);
                    else pair.pending.push(new Uint8Array(chunk));
                },
                close(client) {
                    client.data.upstream?.end();
                    open.delete(client.data);
                },
                error(client) {
                    client.data.upstream?.end();
                },
            },
        });
        port = listener.port;
    };
    listen();

    const cutAll = () => {
        listener?.stop(true);
        listener = undefined;
        for (const pair of open) {
            pair.client.terminate();
            pair.upstream?.terminate();
        }
        open.clear();
    };
    return {
        get port() {
            return port;
        },
        cut: cutAll,
        restore: () => {
            if (!listener) listen();
        },
        stop: cutAll,
    };
}
