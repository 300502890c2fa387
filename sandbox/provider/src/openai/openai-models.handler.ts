// GET /v1/models in OpenAI's ListModelsResponse shape. Chat completions accept any model id; this list only gives
// clients that probe for models (health checks, UIs) something realistic to read.
import { sendJson } from '../shared/http-io';
import type { SandboxContext } from '../shared/sandbox-router';

export const SANDBOX_MODEL_IDS = ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'gpt-4.1-mini', 'o4-mini'] as const;

// A fixed timestamp (2024-05-13T00:00:00Z) keeps the listing byte-for-byte stable between runs.
const MODELS_CREATED = 1715558400;

export interface Model {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

export interface ModelList {
  object: 'list';
  data: Model[];
}

// owned_by names the sandbox so nobody mistakes this listing for OpenAI's.
const model = (id: string): Model => ({ id, object: 'model', created: MODELS_CREATED, owned_by: 'sandbox' });

export function listSandboxModels(): ModelList {
  return { object: 'list', data: SANDBOX_MODEL_IDS.map(model) };
}

export function handleListModels(ctx: SandboxContext): void {
  sendJson(ctx.res, 200, listSandboxModels());
}

/** GET /v1/models/{id}: any id, since chat completions serve any model id (ids may contain slashes). */
export function handleRetrieveModel(ctx: SandboxContext): void {
  sendJson(ctx.res, 200, model(ctx.params.id));
}
