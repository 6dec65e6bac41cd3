/** Polls `check` until it holds; throws when it still does not after `timeoutMs`. */
export async function eventually(
    check: () => Promise<boolean> | boolean,
    timeoutMs = 15_000,
    intervalMs = 50,
): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        if (await check()) return;
        await Bun.sleep(intervalMs);
    }
    throw new Error(`condition not reached within ${timeoutMs} ms`);
}
