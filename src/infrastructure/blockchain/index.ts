/**
 * Public surface of the chain layer. Takes plain options (no dependency on the app's config).
 */

// One rule for every layer; re-exported here for the fixtures that mint through the chain.
export {
    ANVIL_DEFAULT_CHAIN_ID,
    ANVIL_DEFAULT_PRIVATE_KEY,
    ANVIL_PLATFORM_PACKAGES,
    type AnvilInstance,
    AnvilNotFoundError,
    type AnvilOptions,
    anvilBinaryPath,
    findFreePort,
    startAnvil,
} from "./anvil";
export { campaignBankAbi } from "./artifacts/CampaignBank";
export { campaignBankFactoryAbi } from "./artifacts/CampaignBankFactory";
export { legacyProductInteractionAbi } from "./artifacts/LegacyProductInteraction";
export { productAdministratorRegistryAbi } from "./artifacts/ProductAdministratorRegistry";
export { productInteractionAbi } from "./artifacts/ProductInteraction";
export { productInteractionManagerAbi } from "./artifacts/ProductInteractionManager";
export { productRegistryAbi } from "./artifacts/ProductRegistry";
export { purchaseOracleAbi } from "./artifacts/PurchaseOracle";
export { referralCampaignAbi, referralCampaignBytecode } from "./artifacts/ReferralCampaign";
export { smartWalletAbi } from "./artifacts/SmartWallet";
export { testStablecoinAbi } from "./artifacts/TestStablecoin";
export { walletFactoryAbi } from "./artifacts/WalletFactory";
export {
    type ChainClientOptions,
    type ChainClients,
    chainFor,
    createChainClients,
    readChainId,
} from "./client";
export {
    type Deployment,
    deployContracts,
    deploymentFromEnv,
    isDeploymentLive,
    PRODUCT_ROLES,
    readDeployment,
    type TokenKey,
    upgradeInteractionContract,
    writeDeployment,
} from "./deploy";
export { type DevAnvil, devAnvilFiles, startDevAnvil } from "./dev-anvil";
export {
    type BatchItem,
    decodeInteractionItems,
    encodeInteractionItems,
    INTERACTION_BATCH_EIP712_DOMAIN_VERSION,
    interactionBatchTypedData,
    MAX_INTERACTION_SEQUENCE,
    signInteractionBatch,
} from "./interaction-batch";
export {
    decodeRejectionReason,
    encodePurchaseCompleted,
    encodeReferralCreateLink,
    encodeReferralReferred,
    INTERACTION_TYPE,
    interactionTypeOf,
} from "./interaction-data";
export {
    INTERACTION_EIP712_DOMAIN_NAME,
    INTERACTION_EIP712_DOMAIN_VERSION,
    type InteractionToSign,
    interactionTypedData,
    interactionTypedDataTypes,
    newInteractionId,
    signInteraction,
    signInteractions,
} from "./interaction-signature";
export {
    type BackendSigners,
    createBackendSigners,
    derivePrivateKey,
    productSignerLabel,
    type SendContext,
    SIGNER_LABELS,
} from "./signers";
export { credentialIdHash, ecdsaWalletAddress, webAuthnWalletAddress } from "./wallet-address";
export { encodeWebAuthnSignature } from "./webauthn-signature";
