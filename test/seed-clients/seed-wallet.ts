/**
 * The seed wallet's authentication code, step by step as it is written in the seed repository
 * (packages/wallet-shared: backendClient, useLogin, useGetSafeSdkSession, registerOptions;
 * apps/wallet: useRegister, useDemoLogin, useCreateRecoveryPasskey), with its stores reduced to
 * plain fields. Requests go through Eden Treaty over real HTTP with the wallet's own header and
 * 401 hooks, from a "browser" on the wallet's origin. Only the platform around it is replaced:
 * `navigator.credentials` by a virtual authenticator (through ox's createFn/getFn hooks) and
 * the BigInt JSON polyfill the wallet installs by a replacer with the same output.
 */
import { treaty } from "@elysiajs/eden";
import { WebAuthnP256 } from "ox";
import { type Address, type Hex, stringToHex, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import type { App } from "../../src/app";
import type { VirtualAuthenticator } from "./virtual-authenticator";

/** The wallet's `setupBigIntSerialization()`: bigints become decimal strings in JSON. */
export const stringifyLikeWallet = (value: unknown) =>
    JSON.stringify(value, (_key, field) => (typeof field === "bigint" ? field.toString() : field));

/** What a browser adds to every cross-origin fetch of the page: `Origin` (Bun adds `Accept`). */
export function browserFetch(pageOrigin: string): typeof fetch {
    const fetcher = (input: string | URL | Request, init?: RequestInit) => {
        const headers = new Headers(init?.headers);
        headers.set("origin", pageOrigin);
        return fetch(input, { ...init, headers });
    };
    return fetcher as typeof fetch;
}

/**
 * The seed pins ox 0.9, whose WebAuthnP256 returns the public key coordinates and the signature
 * scalars as bigints; ox 1.x (ours) returns hex strings. Converted back, so the JSON the wallet
 * sends is the 0.9 one (decimal strings through the BigInt polyfill, `toHex(x)` of a bigint).
 */
const ox09 = {
    publicKey: (key: { prefix: number; x: Hex | bigint; y: Hex | bigint }) => ({
        prefix: key.prefix,
        x: BigInt(key.x),
        y: BigInt(key.y),
    }),
    signature: (signature: { r: Hex | bigint; s: Hex | bigint }) => ({
        r: BigInt(signature.r),
        s: BigInt(signature.s),
    }),
};

type Session = { token: string; address: Address; type: string; authenticatorId: string };
type SdkSession = { token: string; expires: number };
type LastWebAuthNAction = { wallet: Address; signature: unknown; challenge: Hex };

export type SeedWalletOptions = {
    authenticator: VirtualAuthenticator;
    /** `WebAuthN.rpId` of the wallet build (`localhost` when running locally). */
    rpId?: string;
    userAgent?: string;
};

export function seedWallet(backendUrl: string, options: SeedWalletOptions) {
    const rpId = options.rpId ?? "localhost";
    const userAgent = options.userAgent ?? "Mozilla/5.0 (seed wallet replay)";
    // sessionStore and authenticationStore, as plain fields.
    const store = {
        session: null as Session | null,
        sdkSession: null as SdkSession | null,
        lastWebAuthNAction: null as LastWebAuthNAction | null,
        previousAuthenticators: [] as { authenticatorId: string }[],
        /** How many times the 401 hook cleared the session (the wallet logs the user out). */
        sessionClears: 0,
    };

    // packages/wallet-shared/src/common/api/backendClient.ts
    const authenticatedBackendApi = treaty<App>(backendUrl, {
        fetch: { credentials: "include" },
        fetcher: browserFetch(options.authenticator.origin),
        headers(_path, requestOptions) {
            const token = store.session?.token;
            const sdkToken = store.sdkSession?.token;
            const headers = new Headers(requestOptions.headers);
            if (token && !headers.has("x-wallet-auth")) headers.append("x-wallet-auth", token);
            if (sdkToken && !headers.has("x-wallet-sdk-auth")) {
                headers.append("x-wallet-sdk-auth", sdkToken);
            }
            return headers;
        },
        onResponse(response) {
            if (response.status === 401) {
                store.session = null;
                store.sdkSession = null;
                store.sessionClears += 1;
            }
        },
    });
    const authenticatedWalletApi = authenticatedBackendApi.wallet;

    function storeSession(data: { token: string; sdkJwt: SdkSession } & Omit<Session, "token">) {
        const { token, sdkJwt, ...authentication } = data;
        store.session = { ...authentication, token } as Session;
        store.sdkSession = sdkJwt;
        store.previousAuthenticators.push({ authenticatorId: authentication.authenticatorId });
    }

    /** packages/wallet-shared/src/wallet/action/registerOptions.ts */
    function getRegisterOptions() {
        const date = new Date();
        const day = date.getDate().toString().padStart(2, "0");
        const month = (date.getMonth() + 1).toString().padStart(2, "0");
        const username = `Frak Wallet-${day}-${month}-${date.getFullYear()}`;
        return {
            rp: { id: rpId, name: "Frak wallet" },
            user: { name: username, displayName: username },
            timeout: 180_000,
            attestation: "direct",
            authenticatorSelection: {
                residentKey: "preferred",
                userVerification: "required",
                requireResidentKey: false,
            },
        } as const;
    }

    /** The pieces of one login, so a test can replay them. */
    type LoginAttempt = {
        challenge: Hex;
        body: { expectedChallenge: Hex; authenticatorResponse: string };
        response: Awaited<ReturnType<typeof authenticatedWalletApi.auth.login.post>>;
    };

    /** The WebAuthn half of useLogin: ox signs, the wallet encodes. */
    async function signLogin(args: {
        lastAuthentication?: { authenticatorId: string };
        challenge?: Hex;
    }) {
        const challenge = args.challenge ?? generatePrivateKey();
        const signed = await WebAuthnP256.sign({
            credentialId: args.lastAuthentication?.authenticatorId,
            rpId,
            userVerification: "required",
            challenge,
            getFn: options.authenticator.get as never,
        });
        const { metadata, raw } = signed;
        const signature = ox09.signature(signed.signature);
        const authenticationResponse = { id: raw.id, response: { metadata, signature } };
        const encodedResponse = btoa(stringifyLikeWallet(authenticationResponse));
        const body = { expectedChallenge: challenge, authenticatorResponse: encodedResponse };
        return { challenge, body, authenticationResponse };
    }

    return {
        store,
        api: authenticatedWalletApi,

        /**
         * packages/wallet-shared/src/authentication/hook/useLogin.ts. `challenge` lets a test
         * make the wallet sign a challenge it already used (the wallet always draws a new one).
         */
        async login(
            args: { lastAuthentication?: { authenticatorId: string }; challenge?: Hex } = {},
        ): Promise<LoginAttempt> {
            const { challenge, body, authenticationResponse } = await signLogin(args);
            const response = await authenticatedWalletApi.auth.login.post(body);
            if (response.data) {
                store.lastWebAuthNAction = {
                    wallet: response.data.address,
                    // Persisted by zustand as JSON, so read back with bigints as strings.
                    signature: JSON.parse(stringifyLikeWallet(authenticationResponse)),
                    challenge,
                };
                storeSession(response.data);
            }
            return { challenge, body, response };
        },

        /** The signing half of `login` alone: the body the wallet would post. */
        signLogin: (args: { lastAuthentication?: { authenticatorId: string } } = {}) =>
            signLogin(args).then(({ body }) => body),

        /** apps/wallet/app/module/authentication/hook/useRegister.ts */
        async register() {
            const credential = await WebAuthnP256.createCredential({
                ...getRegisterOptions(),
                excludeCredentialIds: store.previousAuthenticators.map(
                    (credential) => credential.authenticatorId,
                ),
                createFn: options.authenticator.create as never,
            });
            const { id, raw } = credential;
            const publicKey = ox09.publicKey(credential.publicKey);
            const encodedResponse = btoa(JSON.stringify(raw));
            const body = {
                id,
                userAgent,
                publicKey: {
                    x: toHex(publicKey.x),
                    y: toHex(publicKey.y),
                    prefix: publicKey.prefix,
                },
                raw: encodedResponse,
            };
            const response = await authenticatedWalletApi.auth.register.post(body);
            if (response.data) storeSession(response.data);
            return { body, response };
        },

        /** apps/wallet/app/module/recovery/hook/useCreateRecoveryPasskey.ts */
        async createRecoveryPasskey(initialWallet: Address) {
            const credential = await WebAuthnP256.createCredential({
                ...getRegisterOptions(),
                createFn: options.authenticator.create as never,
            });
            const { id, raw } = credential;
            const publicKey = ox09.publicKey(credential.publicKey);
            return authenticatedWalletApi.auth.register.post({
                id,
                userAgent,
                publicKey: {
                    x: toHex(publicKey.x),
                    y: toHex(publicKey.y),
                    prefix: publicKey.prefix,
                },
                raw: btoa(JSON.stringify(raw)),
                previousWallet: initialWallet,
            });
        },

        /** apps/wallet/app/module/authentication/hook/useDemoLogin.ts */
        async demoLogin(pkey: Hex, args: { challenge?: Hex } = {}) {
            const account = privateKeyToAccount(pkey);
            const challenge = args.challenge ?? generatePrivateKey();
            const message = `I want to connect to Frak and I accept the CGU.\n Verification code:${challenge}`;
            const signature = await account.signMessage({ message: { raw: stringToHex(message) } });
            const body = {
                expectedChallenge: challenge,
                signature,
                wallet: account.address as Address,
                demoPkey: pkey,
            };
            const response = await authenticatedWalletApi.auth.ecdsaLogin.post(body);
            if (response.data) {
                const { token, sdkJwt, ...authentication } = response.data;
                store.session = { ...authentication, token } as Session;
                store.sdkSession = sdkJwt;
            }
            return { body, response };
        },

        /**
         * The query of packages/wallet-shared/src/common/hook/useGetSafeSdkSession.ts: check the
         * stored SDK token, else re-send the last WebAuthn login, else `sdk/generate` with the
         * wallet session. Returns the token it settles on and each step's status.
         */
        async getSafeSdkSession() {
            const steps: { step: string; status: number }[] = [];
            const sdkSession = store.sdkSession;
            if (sdkSession) {
                const { data, status } = await authenticatedWalletApi.auth.sdk.isValid.get({
                    headers: { "x-wallet-sdk-auth": sdkSession.token },
                });
                steps.push({ step: "isValid", status });
                if (data?.isValid) return { sdkSession, steps };
            }
            const lastWebAuthnAction = store.lastWebAuthNAction;
            if (lastWebAuthnAction) {
                const encodedSignature = btoa(JSON.stringify(lastWebAuthnAction.signature));
                const { data: session, status } =
                    await authenticatedWalletApi.auth.sdk.fromWebAuthNSignature.post({
                        signature: encodedSignature,
                        challenge: lastWebAuthnAction.challenge,
                        wallet: lastWebAuthnAction.wallet,
                    });
                steps.push({ step: "fromWebAuthNSignature", status });
                if (session) {
                    store.sdkSession = session;
                    return { sdkSession: session, steps };
                }
            }
            if (!store.session) return { sdkSession: null, steps };
            const { data, error, status } = await authenticatedWalletApi.auth.sdk.generate.get();
            steps.push({ step: "generate", status });
            if (error) return { sdkSession: null, steps };
            store.sdkSession = data;
            return { sdkSession: data, steps };
        },
    };
}

export type SeedWallet = ReturnType<typeof seedWallet>;
