import { ModelEntry, ModelKind, ModelOfKind } from './catalog.types';
import { models as defaultModels } from './models';

/**
 * Prefixes clients put before a model id. `models/` is how the Gemini SDK and API name every model; Vertex AI names
 * Google's models by publisher (`google/...`, `publishers/google/models/...`), so those two apply to Google's only.
 */
const prefixes: { prefix: string; madeBy?: string }[] = [
  { prefix: 'models/' },
  { prefix: 'publishers/google/models/', madeBy: 'google' },
  { prefix: 'google/', madeBy: 'google' },
];

/** Looks models up by id or alias. Built once per process; the hot path does one Map lookup. */
export class ModelCatalog {
  private readonly byId = new Map<string, ModelEntry>();

  constructor(readonly models: readonly ModelEntry[] = defaultModels) {
    for (const model of models) {
      for (const id of [model.id, ...(model.aliases ?? [])]) {
        if (this.byId.has(id)) throw new Error(`duplicate model id in catalog: ${id}`);
        this.byId.set(id, model);
      }
    }
  }

  /**
   * The model an id names: exactly as given (ids are case-sensitive), else with one of the known prefixes removed.
   * An exact match always wins, so a catalog id that happens to start with a prefix is never shadowed.
   */
  find(id: string): ModelEntry | undefined {
    const exact = this.byId.get(id);
    if (exact) return exact;
    for (const { prefix, madeBy } of prefixes) {
      if (!id.startsWith(prefix)) continue;
      const model = this.byId.get(id.slice(prefix.length));
      if (model && (!madeBy || model.ownedBy === madeBy)) return model;
    }
    return undefined;
  }

  /** `find`, for an endpoint that serves one kind: a model of another kind is not found. */
  findOfKind<K extends ModelKind>(id: string, kind: K): ModelOfKind<K> | undefined {
    const model = this.find(id);
    return model?.kind === kind ? (model as ModelOfKind<K>) : undefined;
  }

  listByKind<K extends ModelKind>(kind: K): ModelOfKind<K>[] {
    return this.models.filter((model): model is ModelOfKind<K> => model.kind === kind);
  }

  /** OpenAI's `GET /v1/models` list shape: every model, of every kind. */
  toOpenAiList(): { object: 'list'; data: OpenAiModel[] } {
    return { object: 'list', data: this.models.map(toOpenAiModel) };
  }
}

export interface OpenAiModel {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

export function toOpenAiModel(model: ModelEntry): OpenAiModel {
  return { id: model.id, object: 'model', created: model.created, owned_by: model.ownedBy };
}
