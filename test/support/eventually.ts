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

/** Polls `probe` until it returns a value (not undefined) and returns it; throws after `timeoutMs`. */
export async function eventuallyValue<T>(
    probe: () => Promise<T | undefined> | T | undefined,
    timeoutMs = 15_000,
    intervalMs = 20,
): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        const value = await probe();
        if (value !== undefined) return value;
        await Bun.sleep(intervalMs);
    }
    throw new Error(`no value within ${timeoutMs} ms`);
}
