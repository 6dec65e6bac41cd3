/**
 * A push service for the push benchmark, in its own process so its work does not share our
 * CPU: accepts every message with 201 and counts them. `GET /count` answers the count.
 * Prints its origin on stdout once listening.
 */
let received = 0;
let bytes = 0;
const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(request) {
        if (request.method === "GET") return Response.json({ received, bytes });
        const body = await request.arrayBuffer();
        if (!request.headers.get("authorization")?.startsWith("vapid t=")) {
            return new Response("no vapid", { status: 401 });
        }
        received++;
        bytes += body.byteLength;
        return new Response(null, { status: 201 });
    },
});
console.log(`http://127.0.0.1:${server.port}`);
