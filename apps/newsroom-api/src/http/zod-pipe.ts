import type { PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { ProblemError } from './problem';

/** Validates a body, query or path parameter; answers 400 naming every field at fault. */
export class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(
    private readonly schema: S,
    private readonly where: 'body' | 'query' | 'path' = 'body',
  ) {}

  transform(value: unknown): z.output<S> {
    const result = this.schema.safeParse(value);
    if (result.success) return result.data;
    const errors = result.error.issues.map((issue) => ({
      field: issue.path.length > 0 ? issue.path.map(String).join('.') : this.where,
      message:
        issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message,
    }));
    const summary = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
    throw new ProblemError(
      400,
      'VALIDATION_FAILED',
      'The request is not valid',
      `${this.where} ${summary}`,
      errors,
    );
  }
}
