import { type Static, Type as T } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import type { Address, Hex } from "viem";

/** Close codes of the pairing socket (docs/pairing-protocol.md); clients branch on them. */
export const PairingCloseCode = {
    unauthorized: 4401,
    forbidden: 4403,
    pairingNotFound: 4404,
    invalidMessage: 4422,
    /** Too many sockets open for this wallet or client address. */
    tooManySockets: 4429,
    /** The client does not retry after this one. */
    noConnectionToConnectTo: 4444,
} as const;

const PairingIdSchema = T.String({ minLength: 1, maxLength: 128 });
const RequestIdSchema = T.String({ minLength: 1, maxLength: 256 });
/**
 * Whole bytes of hex (stored as bytea). WebAuthn options and responses are a few kilobytes; the
 * bound keeps one frame from storing much more.
 */
const BoundedHexSchema = T.String({ pattern: "^0x([0-9a-fA-F]{2})*$", maxLength: 131_072 });

/** Every frame is `{ type, payload? }`; the payload shape depends on the type. */
const FrameSchema = T.Object({ type: T.String(), payload: T.Optional(T.Unknown()) });

const payloadSchemas = {
    ping: T.Unknown(),
    "signature-request": T.Object({
        id: RequestIdSchema,
        request: BoundedHexSchema,
        context: T.Optional(T.Record(T.String(), T.Unknown())),
    }),
    pong: T.Object({ pairingId: PairingIdSchema }),
    "signature-response": T.Object({
        pairingId: PairingIdSchema,
        id: RequestIdSchema,
        signature: BoundedHexSchema,
    }),
    "signature-reject": T.Object({
        pairingId: PairingIdSchema,
        id: RequestIdSchema,
        reason: T.String({ maxLength: 1_024 }),
    }),
};

type PayloadSchemas = typeof payloadSchemas;
export type ClientMessageType = keyof PayloadSchemas;
export type ClientMessage = {
    [K in ClientMessageType]: { type: K; payload: Static<PayloadSchemas[K]> };
}[ClientMessageType];

const frameCheck = TypeCompiler.Compile(FrameSchema);
const payloadChecks = Object.fromEntries(
    Object.entries(payloadSchemas).map(([type, schema]) => [type, TypeCompiler.Compile(schema)]),
) as unknown as { [K in ClientMessageType]: { Check(value: unknown): boolean } };

export type ParsedFrame =
    | { ok: true; message: ClientMessage }
    | { ok: false; reason: "Invalid message" | "Unknown message type" };

/**
 * Validates a frame as Elysia delivers it (JSON already parsed when it looked like JSON).
 * Anything but a well-formed message of a known type is refused before any other work.
 */
export function parseClientFrame(frame: unknown): ParsedFrame {
    if (!frameCheck.Check(frame)) return { ok: false, reason: "Invalid message" };
    if (!Object.hasOwn(payloadChecks, frame.type)) {
        return { ok: false, reason: "Unknown message type" };
    }
    const type = frame.type as ClientMessageType;
    if (!payloadChecks[type].Check(frame.payload)) return { ok: false, reason: "Invalid message" };
    return { ok: true, message: { type, payload: frame.payload } as ClientMessage };
}

/** What the server sends on a pairing socket (docs/pairing-protocol.md). */
export type PairingServerMessage =
    | { type: "pairing-initiated"; payload: { pairingId: string; pairingCode: string } }
    | {
          type: "authenticated";
          payload: {
              token: string;
              sdkJwt: { token: string; expires: number };
              wallet: {
                  type: "distant-webauthn";
                  address: Address;
                  authenticatorId: string;
                  publicKey: { x: Hex; y: Hex };
                  pairingId: string;
              };
          };
      }
    | { type: "partner-connected"; payload: { pairingId: string; deviceName: string } }
    | { type: "ping"; payload: { pairingId: string } }
    | { type: "pong"; payload: { pairingId: string } }
    | {
          type: "signature-request";
          payload: {
              pairingId: string;
              id: string;
              request: Hex;
              context?: unknown;
              partnerDeviceName: string;
          };
      }
    | { type: "signature-response"; payload: { pairingId: string; id: string; signature: Hex } }
    | {
          type: "signature-reject";
          payload: { pairingId: string; id: string; reason: string; [extra: string]: unknown };
      };
