/**
 * The stack's configuration: declared keys (keys.ts), what the compute mode implies
 * (compute-modes.ts), validation by area (validate/), and loading from the engine (load.ts).
 * Every key is read once and validated before any resource is registered.
 */
export * from "./keys";
export { COMPUTE_MODES, IMAGE_ENDPOINTS, PARAMETER_ENDPOINT, tierInterfaceEndpoints } from "./compute-modes";
export type { ApplicationNeeds, ComputeMode } from "./compute-modes";
export { ConfigError } from "./validate/check";
export type { ValidationContext } from "./validate/check";
export { validateConfig } from "./validate/index";
export { loadConfig, OFFLINE_PREVIEW_ENV, resolveConfig, toComponentArgs, toConfigKeys } from "./load";
