/**
 * STAGE semantics of the seed system: a deployed stage is one of dev, example, prod, production or
 * staging; anything else (including unset) means "running locally". Prod is prod or production.
 */
const deployedStages = new Set(["dev", "example", "prod", "production", "staging"]);
const productionStages = new Set(["prod", "production"]);

export type StageFlags = {
    stage: string | undefined;
    isRunningLocally: boolean;
    isRunningInProd: boolean;
};

export function stageFlags(stage: string | undefined): StageFlags {
    return {
        stage,
        isRunningLocally: stage === undefined || !deployedStages.has(stage),
        isRunningInProd: stage !== undefined && productionStages.has(stage),
    };
}
