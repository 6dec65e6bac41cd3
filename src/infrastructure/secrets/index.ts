export { type DevSecrets, ephemeralSecrets, loadOrCreateDevSecrets } from "./dev-secrets";
