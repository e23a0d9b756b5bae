import { Controller, Get, Header, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ProblemError } from '../http/problem';
import { readUiAsset, UI_ASSETS } from './ui-assets';
import { pageHtml, UI_CONTENT_SECURITY_POLICY } from './ui-page';

/**
 * The story and claim pages (issue 11). No route here needs a key: the pages hold no data, and
 * every read they make goes to the JSON API with the key the reader gives (docs/decisions/0018).
 * Not part of the API's contract, so not in the OpenAPI document.
 */
@ApiExcludeController()
@Controller('ui')
export class UiController {
  @Get('stories/:storyId')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', UI_CONTENT_SECURITY_POLICY)
  @Header('cache-control', 'no-cache')
  storyPage(@Param('storyId') storyId: string): string {
    return pageHtml('story', storyId);
  }

  @Get('claims/:claimId')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', UI_CONTENT_SECURITY_POLICY)
  @Header('cache-control', 'no-cache')
  claimPage(@Param('claimId') claimId: string): string {
    return pageHtml('claim', claimId);
  }

  @Get('assets/:name')
  asset(@Param('name') name: string, @Res() reply: FastifyReply): void {
    const body = readUiAsset(name);
    const type = UI_ASSETS[name];
    if (body === undefined || type === undefined) {
      throw new ProblemError(404, 'HTTP_404', 'Not found', `no page asset named ${name}`);
    }
    // no-cache, not immutable: the names carry no content hash, and a rebuild must show at once.
    void reply
      .header('content-type', type)
      .header('cache-control', 'no-cache')
      .header('x-content-type-options', 'nosniff')
      .send(body);
  }
}
