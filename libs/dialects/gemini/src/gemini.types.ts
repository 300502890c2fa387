/**
 * Gemini's response wire shapes (generateContent / streamGenerateContent), after Google's REST reference and the
 * `@google/genai` types. Requests are typed from their zod schema in gemini.request.ts.
 */

export interface GeminiInlineData {
  mimeType: string;
  data: string;
}

export interface GeminiFileData {
  mimeType?: string;
  fileUri: string;
}

export interface GeminiFunctionCall {
  id?: string;
  name: string;
  args?: Record<string, unknown>;
}

export interface GeminiFunctionResponse {
  id?: string;
  name: string;
  response: Record<string, unknown>;
}

export interface GeminiResponsePart {
  text?: string;
  thought?: boolean;
  thoughtSignature?: string;
  inlineData?: GeminiInlineData;
  fileData?: GeminiFileData;
  functionCall?: GeminiFunctionCall;
}

export interface GeminiResponseContent {
  role: 'model';
  parts: GeminiResponsePart[];
}

/** Google's FinishReason values the gateway writes (the enum has more; see gemini.from-canonical.ts). */
export type GeminiFinishReason = 'STOP' | 'MAX_TOKENS' | 'SAFETY' | 'OTHER';

export interface GeminiCandidate {
  content?: GeminiResponseContent;
  finishReason?: GeminiFinishReason;
  index: number;
}

export interface GeminiUsageMetadata {
  promptTokenCount: number;
  candidatesTokenCount: number;
  totalTokenCount: number;
  thoughtsTokenCount?: number;
  cachedContentTokenCount?: number;
}

export interface GeminiGenerateContentResponse {
  candidates: GeminiCandidate[];
  usageMetadata?: GeminiUsageMetadata;
  modelVersion: string;
  responseId: string;
}

/** Google's error body: `{error:{code,message,status}}`, with google.rpc details where the gateway has some. */
export interface GeminiErrorBody {
  error: { code: number; message: string; status: string; details?: Record<string, unknown>[] };
}
