import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { billing } from '@apitopmix/contracts';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { isUuid } from '../validation/request-fields';
import { UsageReportRepository } from './usage-report.repository';

const DAY_MS = 86_400_000;

/** Without `since`: from 00:00 UTC thirty days ago. */
export function defaultSince(now = Date.now()): Date {
  return new Date(Math.floor(now / DAY_MS) * DAY_MS - 30 * DAY_MS);
}

@Controller()
export class UsageReportController {
  constructor(private readonly usage: UsageReportRepository) {}

  @GrpcMethod('BillingService', 'GetUsage')
  async getUsage(request: billing.GetUsageRequest): Promise<billing.UsageReport> {
    if (!isUuid(request.accountId)) throw new GatewayError(ErrorCode.NotFound, `No account '${request.accountId}'.`);
    const since = request.since ? new Date(request.since) : defaultSince();
    if (Number.isNaN(since.getTime())) throw GatewayError.invalid('since must be an RFC 3339 instant.', 'since');
    const usage = await this.usage.usage(request.accountId, since);
    if (!usage) throw new GatewayError(ErrorCode.NotFound, `No account '${request.accountId}'.`);
    return {
      accountId: request.accountId,
      balanceMicros: usage.balanceMicros.toString(),
      since: since.toISOString(),
      rows: usage.rows.map((row) => ({
        model: row.model,
        day: row.day,
        requests: row.requests.toString(),
        inputTokens: row.inputTokens.toString(),
        outputTokens: row.outputTokens.toString(),
        costMicros: row.costMicros.toString(),
      })),
    };
  }
}
