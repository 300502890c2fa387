// POST /v1beta/models/{model}:generateContent, :streamGenerateContent (SSE with `?alt=sse`, otherwise a JSON array
// written element by element, as Google does) and :countTokens.
import { randomBytes } from 'node:crypto';
import { sendJson } from '../shared/http-io';
import type { SandboxContext } from '../shared/sandbox-router';
import { SseWriter } from '../shared/sse-writer';
import { pumpStream, type StreamFaultFrames } from '../shared/stream-pump';
import { StreamWriter } from '../shared/stream-writer';
import { renderImageResponse, wantsImage } from './gemini-image';
import { countPromptTokens, planGenerateContent } from './gemini-generate.plan';
import { renderResponse, streamChunks, type ResponseMeta } from './gemini-generate.render';
import { parseCountTokensRequest, parseGenerateContentRequest } from './gemini-generate.request';

/** Gemini reports a failure in the middle of a stream by dropping the connection: no error event exists. */
export const GEMINI_SSE_FAULTS: StreamFaultFrames = {
  midstreamError: () => null,
  garbage: 'data: {"candidates": [{"content": {"parts": [{"text": "unterminat\r\n\r\n' + '<html><body><h1>502 Bad Gateway</h1></body></html>\r\n\r\n',
};

export const GEMINI_JSON_ARRAY_FAULTS: StreamFaultFrames = {
  midstreamError: () => null,
  garbage: '\n,\r\n{"candidates": [{"content": {"parts": [{"text": "unterminat<html><body><h1>502 Bad Gateway</h1></body></html>',
};

export function handleGenerateContent(ctx: SandboxContext): void {
  const model = ctx.params.model;
  const request = parseGenerateContentRequest(ctx.body, model);
  // Image generation (responseModalities IMAGE): one PNG of the asked size, whatever the model id.
  if (wantsImage(request)) return sendJson(ctx.res, 200, renderImageResponse(request, responseMeta(model)));
  sendJson(ctx.res, 200, renderResponse(planGenerateContent(request, model), responseMeta(model)));
}

export async function handleStreamGenerateContent(ctx: SandboxContext): Promise<void> {
  const model = ctx.params.model;
  const request = parseGenerateContentRequest(ctx.body, model);
  const chunks = streamChunks(planGenerateContent(request, model), responseMeta(model));
  const onSent = (count: number) => {
    if (ctx.record) ctx.record.chunksSent = count;
  };

  if (ctx.url.searchParams.get('alt') === 'sse') {
    // Google ends SSE lines with CRLF; a client that splits on "\n\n" only will find no event boundary.
    const sse = new SseWriter(ctx.res, ctx.signal, onSent, { lineEnding: '\r\n' });
    sse.open();
    const frames = (function* () {
      for (const chunk of chunks) yield sse.frame(JSON.stringify(chunk));
    })();
    await pumpStream(ctx, sse, frames, GEMINI_SSE_FAULTS);
    return;
  }

  // Without alt=sse the stream is one JSON array, its pretty-printed elements flushed as they are produced.
  const writer = new StreamWriter(ctx.res, ctx.signal, onSent);
  writer.open({ 'content-type': 'application/json; charset=UTF-8', 'cache-control': 'no-cache' });
  const frames = (function* () {
    let first = true;
    for (const chunk of chunks) {
      yield `${first ? '[' : '\n,\r\n'}${JSON.stringify(chunk, null, 2)}`;
      first = false;
    }
  })();
  await pumpStream(ctx, writer, frames, GEMINI_JSON_ARRAY_FAULTS, '\n]');
}

export function handleCountTokens(ctx: SandboxContext): void {
  const request = parseCountTokensRequest(ctx.body);
  const counted = countPromptTokens(request.generateContentRequest ?? { contents: request.contents ?? [], systemInstruction: undefined, tools: undefined });
  sendJson(ctx.res, 200, {
    totalTokens: counted.text + counted.image,
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: counted.text }, ...(counted.image > 0 ? [{ modality: 'IMAGE', tokenCount: counted.image }] : [])],
  });
}

function responseMeta(model: string): ResponseMeta {
  // Random like Gemini's response ids (base64url, 22-ish characters): unique per response, unlike the content.
  return { modelVersion: model, responseId: randomBytes(16).toString('base64url') };
}
