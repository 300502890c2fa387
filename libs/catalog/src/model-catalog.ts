import { ModelEntry } from './catalog.types';
import { models as defaultModels } from './models';

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

  find(id: string): ModelEntry | undefined {
    return this.byId.get(id);
  }

  /** OpenAI's `GET /v1/models` list shape. */
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
