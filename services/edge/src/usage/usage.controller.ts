import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { extractApiKey } from '../auth/api-key-extractor';
import { AuthService } from '../auth/auth.service';
import { LedgerClient } from '../ledger/ledger.client';
import { parseSince, renderPublicUsage, toUsageReport } from '../ledger/usage-report';
import { AdmissionService } from '../rate-limit/admission.service';
import { rateLimitHeaders } from '../rate-limit/rate-limit.client';

/**
 * GET /v1/usage: the caller's own account, with any of its keys: balance, and usage per model and UTC day since
 * `?since=` (a date or an instant; default 00:00 UTC thirty days ago). Shape documented in README.md.
 */
@Controller()
export class UsageController {
  constructor(
    private readonly auth: AuthService,
    private readonly admission: AdmissionService,
    private readonly ledger: LedgerClient,
  ) {}

  @Get('/v1/usage')
  async usage(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query('since') since: unknown): Promise<void> {
    const caller = await this.auth.authenticate(extractApiKey(req));
    const admission = await this.admission.admit(caller, 0);
    reply.headers({ ...rateLimitHeaders(admission), 'x-request-id': req.id });
    const from = parseSince(since);
    const report = await this.ledger.getUsage({ accountId: caller.accountId, since: from?.toISOString() ?? '' });
    reply
      .header('content-type', 'application/json')
      .header('cache-control', 'no-store')
      .send(JSON.stringify(renderPublicUsage(toUsageReport(report))));
  }
}
