import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { renderMusicSubmitted, renderMusicTask } from '@apitopmix/dialects/media-tasks';
import { MediaTaskService } from './media-task.service';

/**
 * Music, asynchronous, in the Suno API's envelope: `POST /suno/submit/music` answers
 * `{code: 200, message: "success", data: {task_id}}`; `GET /suno/fetch/{id}` the task, with its tracks once
 * completed. Errors come in the same envelope with the HTTP status (`src/http/caller-dialect.ts`).
 */
@Controller()
export class SunoController {
  constructor(private readonly tasks: MediaTaskService) {}

  @Post('/suno/submit/music')
  async submit(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const view = await this.tasks.submit('music', req, reply);
    reply
      .status(200)
      .header('content-type', 'application/json')
      .send(JSON.stringify(renderMusicSubmitted(view)));
  }

  @Get('/suno/fetch/:id')
  async fetch(@Param('id') id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const view = await this.tasks.get('music', id, req, reply);
    reply
      .status(200)
      .header('content-type', 'application/json')
      .header('cache-control', 'no-store')
      .send(JSON.stringify(renderMusicTask(view)));
  }
}
