import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';

export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** The `code` field: OpenAI's own values where it has one, otherwise the gateway's error code. */
const openAiCodes: Partial<Record<ErrorCode, string>> = {
  [ErrorCode.RouteNotFound]: 'unknown_url',
};

/** The spec's error shape `{error:{message,type,code}}`, plus OpenAI's `param`, which its SDKs read. */
export function toOpenAiError(error: GatewayError): OpenAiErrorBody {
  return {
    error: {
      message: error.message,
      type: error.type,
      param: error.param ?? null,
      code: openAiCodes[error.code] ?? error.code,
    },
  };
}
