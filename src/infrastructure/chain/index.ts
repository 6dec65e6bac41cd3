export { ChainHealthProbe } from "./chain-health";
export {
    ChainUnavailableError,
    isChainUnavailable,
    rethrowChainUnavailable,
} from "./chain-unavailable";
export { type Chain, type ChainOptions, connectChain } from "./connect-chain";
export { holdsRole, type ProductRoles, ProductRolesReader } from "./product-roles-reader";
