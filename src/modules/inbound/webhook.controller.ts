import { Controller, HttpCode, Logger, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../../common/http/public.decorator.js';
import { NotificationService } from './notification.service.js';

const MAX_TOKEN = 2048;

/**
 * Microsoft Graph webhooks (no bearer token, not rate-limited). The validation handshake is
 * answered with the token as text/plain without touching the database; notifications are
 * persisted, then acknowledged with 202, and answered 5xx only when nothing could be stored
 * (Graph then retries).
 */
@Public()
@ApiExcludeController()
@Controller('v1/webhooks/microsoft')
export class WebhookController {
  private readonly logger = new Logger(WebhookController.name);

  constructor(private readonly notifications: NotificationService) {}

  @Post()
  @HttpCode(202)
  async changes(@Req() req: Request, @Res() res: Response): Promise<void> {
    if (handshake(req, res)) return;
    await this.persist(res, () => this.notifications.acceptChanges(req.body));
  }

  @Post('lifecycle')
  @HttpCode(202)
  async lifecycle(@Req() req: Request, @Res() res: Response): Promise<void> {
    if (handshake(req, res)) return;
    await this.persist(res, () => this.notifications.acceptLifecycle(req.body));
  }

  private async persist(res: Response, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.logger.error(
        { err: error },
        'notifications not persisted: answering 503 so Graph retries',
      );
      res.status(503).json({ error: { code: 'not_persisted', message: 'Try again later.' } });
      return;
    }
    res.status(202).end();
  }
}

function handshake(req: Request, res: Response): boolean {
  const token = req.query.validationToken;
  if (typeof token !== 'string') return false;
  if (token.length > MAX_TOKEN) {
    res.status(400).type('text/plain').send('validationToken too long');
    return true;
  }
  res.status(200).type('text/plain').send(token);
  return true;
}
