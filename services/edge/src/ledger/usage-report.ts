import type { billing } from '@apitopmix/contracts';
import { GatewayError } from '@apitopmix/platform/errors';
import { Money, money } from './usd';

/** One model on one UTC day. Counts are numbers (far below 2^53); money stays exact. */
export interface UsageDay {
  date: string;
  model: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costMicros: bigint;
}

export interface UsageReport {
  accountId: string;
  since: string;
  balanceMicros: bigint;
  days: UsageDay[];
  total: Omit<UsageDay, 'date' | 'model'>;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
// RFC 3339 / ISO 8601 with a zone: a bare local time would mean something different on every machine.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * `?since=`: a UTC date (`2026-11-01`, from its midnight) or an instant with a zone (`2026-11-01T12:00:00Z`).
 * Undefined when absent (billing's default applies: 00:00 UTC thirty days ago).
 */
export function parseSince(value: unknown, param = 'since'): Date | undefined {
  if (value === undefined || value === '') return undefined;
  const text = typeof value === 'string' ? value : '';
  const date = DATE.test(text) ? new Date(`${text}T00:00:00Z`) : INSTANT.test(text) ? new Date(text) : undefined;
  // `new Date` rolls 2026-02-31 over to March: refuse dates that do not exist.
  if (!date || Number.isNaN(date.getTime()) || (DATE.test(text) && date.toISOString().slice(0, 10) !== text)) {
    throw GatewayError.invalid(`${param} must be a date (YYYY-MM-DD, UTC) or an ISO 8601 instant with a time zone.`, param);
  }
  return date;
}

export function toUsageReport(report: billing.UsageReport): UsageReport {
  const days = report.rows.map((row) => ({
    date: row.day,
    model: row.model,
    requests: Number(row.requests),
    inputTokens: Number(row.inputTokens),
    outputTokens: Number(row.outputTokens),
    costMicros: BigInt(row.costMicros),
  }));
  const total = days.reduce(
    (sum, day) => ({
      requests: sum.requests + day.requests,
      inputTokens: sum.inputTokens + day.inputTokens,
      outputTokens: sum.outputTokens + day.outputTokens,
      costMicros: sum.costMicros + day.costMicros,
    }),
    { requests: 0, inputTokens: 0, outputTokens: 0, costMicros: 0n },
  );
  return { accountId: report.accountId, since: report.since, balanceMicros: BigInt(report.balanceMicros), days, total };
}

/** GET /v1/usage: the client API's snake_case, like the rest of /v1. */
export interface PublicUsageBody {
  object: 'usage';
  account_id: string;
  since: string;
  balance: Money;
  total: { requests: number; input_tokens: number; output_tokens: number; cost: Money };
  data: { date: string; model: string; requests: number; input_tokens: number; output_tokens: number; cost: Money }[];
}

export function renderPublicUsage(report: UsageReport): PublicUsageBody {
  const counts = (u: Omit<UsageDay, 'date' | 'model'>) => ({
    requests: u.requests,
    input_tokens: u.inputTokens,
    output_tokens: u.outputTokens,
    cost: money(u.costMicros),
  });
  return {
    object: 'usage',
    account_id: report.accountId,
    since: report.since,
    balance: money(report.balanceMicros),
    total: counts(report.total),
    data: report.days.map((day) => ({ date: day.date, model: day.model, ...counts(day) })),
  };
}

/** The admin API's camelCase, like the rest of /admin/v1. */
export function renderAdminUsage(report: UsageReport) {
  const counts = (u: Omit<UsageDay, 'date' | 'model'>) => ({
    requests: u.requests,
    inputTokens: u.inputTokens,
    outputTokens: u.outputTokens,
    cost: money(u.costMicros),
  });
  return {
    accountId: report.accountId,
    since: report.since,
    balance: money(report.balanceMicros),
    total: counts(report.total),
    data: report.days.map((day) => ({ date: day.date, model: day.model, ...counts(day) })),
  };
}
