import { Controller, Get, HttpCode, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { addCreditSchema, createAccountSchema, createKeySchema, parseBody } from './admin-requests';
import { AdminTokenGuard } from './admin-token.guard';
import { AdminService } from './admin.service';

/**
 * The admin API (`/admin/v1`), behind ADMIN_TOKEN; JSON in camelCase, errors in OpenAI's shape. Responses may
 * carry a new API key, so nothing may cache them.
 */
@Controller('/admin/v1')
@UseGuards(AdminTokenGuard)
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Post('/accounts')
  async createAccount(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    send(reply, 201, await this.admin.createAccount(parseBody(createAccountSchema, req.body)));
  }

  @Get('/accounts/:accountId')
  async getAccount(@Param('accountId') accountId: string, @Res() reply: FastifyReply): Promise<void> {
    send(reply, 200, await this.admin.getAccount(accountId));
  }

  @Post('/accounts/:accountId/keys')
  async createKey(@Param('accountId') accountId: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    send(reply, 201, await this.admin.createKey(accountId, parseBody(createKeySchema, req.body)));
  }

  @Get('/accounts/:accountId/keys')
  async listKeys(@Param('accountId') accountId: string, @Res() reply: FastifyReply): Promise<void> {
    send(reply, 200, await this.admin.listKeys(accountId));
  }

  @Post('/keys/:keyId/revoke')
  @HttpCode(200)
  async revokeKey(@Param('keyId') keyId: string, @Res() reply: FastifyReply): Promise<void> {
    send(reply, 200, await this.admin.revokeKey(keyId));
  }

  @Post('/accounts/:accountId/credits')
  async addCredit(@Param('accountId') accountId: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const credit = await this.admin.addCredit(accountId, parseBody(addCreditSchema, req.body));
    send(reply, credit.applied ? 201 : 200, credit);
  }

  @Get('/accounts/:accountId/usage')
  async usage(@Param('accountId') accountId: string, @Query('since') since: unknown, @Res() reply: FastifyReply): Promise<void> {
    send(reply, 200, await this.admin.usage(accountId, since));
  }
}

function send(reply: FastifyReply, status: number, body: unknown): void {
  reply.status(status).header('content-type', 'application/json').header('cache-control', 'no-store').send(JSON.stringify(body));
}
