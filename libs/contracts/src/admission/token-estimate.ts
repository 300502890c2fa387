/**
 * The most tokens a request may use, as its dialect estimates them before any upstream is called: the prompt's
 * estimate and the most it may generate. Rate limiting takes their sum; the credit gate prices each at its rate.
 */
export interface TokenEstimate {
  inputTokens: number;
  outputTokens: number;
}
