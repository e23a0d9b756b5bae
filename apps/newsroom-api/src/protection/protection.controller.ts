import { Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '@app/platform';
import { SOURCE_KEYS, type SourceKeys } from '@app/protection';

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
  @ApiSecurity('bearer')
  @ApiOperation({ summary: 'Re-wrap every protected source key under the current master key (admin)' })
  @ApiResponse({
    status: 200,
    description: '{ rewrapped, masterKeyId }: how many keys moved, and to which master key',
  })
  @ApiResponse({ status: 401, description: 'RFC 9457 problem details' })
  @ApiResponse({ status: 403, description: 'RFC 9457 problem details' })
  @ApiResponse({ status: 503, description: 'no master key configured (PROTECTION_NOT_CONFIGURED)' })
  rotate(): Promise<{ rewrapped: number; masterKeyId: string }> {
    return this.keys.rotate();
  }
}
