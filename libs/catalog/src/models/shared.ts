import { Capabilities } from '../catalog.types';

/*
 * Context windows, output limits and capabilities are the figures the vendors (or, for NIM-hosted models, the model
 * makers and NVIDIA's catalog) document, as of the catalog date, 2026-11-25. Prices are in ../pricing.ts's terms.
 */

/** `created` of the models in the first catalog (2025-11-24). */
export const CATALOG_V1 = 1_764_000_000;
/** `created` of the models added with price table 2026-11-25.2 (2026-11-25T00:00:00Z). */
export const CATALOG_V2 = 1_795_564_800;
/** `created` of the models added with price table 2026-11-25.3 (2026-11-25T12:00:00Z). */
export const CATALOG_V3 = 1_795_608_000;

export const text: Capabilities = { streaming: true, tools: true, vision: false, thinking: false };
export const multimodal: Capabilities = { ...text, vision: true };
export const reasoning: Capabilities = { ...text, thinking: true };
export const multimodalReasoning: Capabilities = { ...text, vision: true, thinking: true };
