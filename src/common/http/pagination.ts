import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ValidationFailedError } from '../errors/domain-error.js';

export const MAX_PAGE_SIZE = 100;

/** `?limit=&cursor=` of every list endpoint (limit 1–100, default 50; cursor is opaque). */
export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = 50;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

/** A keyset position: a row's creation time and id (ties broken by id). */
export interface KeysetPosition {
  createdAt: Date;
  id: string;
}

/** The opaque `nextCursor` of a list ordered by creation time, then id. */
export function encodeCursor(row: KeysetPosition): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString('base64url');
}

/** The position a cursor names; 400 `validation_failed` (field `cursor`) when it names none. */
export function decodeCursor(cursor: string): KeysetPosition {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  if (!id || !/^[0-9a-f-]{36}$/.test(id) || Number.isNaN(createdAt.getTime()))
    throw new ValidationFailedError([{ field: 'cursor', message: 'not a cursor of this list' }]);
  return { createdAt, id };
}
