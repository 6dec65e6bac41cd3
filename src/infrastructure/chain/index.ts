export { type Chain, type ChainOptions, connectChain } from "./connect-chain";
export { type ProductRoles, ProductRolesReader } from "./product-roles-reader";
