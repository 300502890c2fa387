import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { renderVideoSubmitted, renderVideoTask } from '@apitopmix/dialects/media-tasks';
import { MediaTaskService } from './media-task.service';

/**
 * Video, asynchronous: `POST /v1/videos` stores a job and answers `{id, object: "video", status: "queued"}`;
 * `GET /v1/videos/{task_id}` answers its state in the spec's shape. Errors in OpenAI's shape.
 */
@Controller()
export class VideosController {
  constructor(private readonly tasks: MediaTaskService) {}

  @Post('/v1/videos')
  async submit(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const view = await this.tasks.submit('video', req, reply);
    reply
      .status(200)
      .header('content-type', 'application/json')
      .send(JSON.stringify(renderVideoSubmitted(view)));
  }

  @Get('/v1/videos/:taskId')
  async get(@Param('taskId') taskId: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const view = await this.tasks.get('video', taskId, req, reply);
    reply
      .status(200)
      .header('content-type', 'application/json')
      .header('cache-control', 'no-store')
      .send(JSON.stringify(renderVideoTask(view)));
  }
}
