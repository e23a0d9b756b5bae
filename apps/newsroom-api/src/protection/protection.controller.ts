import { Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '@app/platform';
import { SOURCE_KEYS, type SourceKeys } from '@app/protection';
import { Responds } from '../http/openapi';
import { rotation, type RotationAnswer } from '../http/responses/ops.responses';

/**
 * Master-key rotation without rewriting the log: configure the new key first and the old one
 * after it (NEWSROOM_MASTER_KEY="new,old"), call this, then drop the old key from the
 * configuration. Only the key store changes; the log holds nothing the master key wrapped.
 */
@ApiTags('admin')
@Controller('admin/master-key')
export class ProtectionController {
  constructor(@Inject(SOURCE_KEYS) private readonly keys: SourceKeys) {}

  @Post('rotation')
  @HttpCode(200)
  @RequirePermission('keys:rotate')
  @Responds(
    {
      operationId: 'rotateMasterKey',
      summary: 'Re-wrap every protected source key under the current master key (admin)',
    },
    [{ status: 200, description: 'How many keys moved, and to which master key', schema: rotation }],
    [401, 403, 503],
  )
  rotate(): Promise<RotationAnswer> {
    return this.keys.rotate();
  }
}
