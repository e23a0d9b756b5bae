import 'reflect-metadata';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { PERMISSION_KEY } from '@app/platform';
import { ClaimsWriteController } from '../claims/claims-write.controller';
import { SourcesController } from '../sources/sources.controller';
import { ZodPipe } from '../http/zod-pipe';
import { pathOf, WRITE_COMMANDS } from './write-commands';

interface Route {
  route: string;
  permission: unknown;
  bodySchema: unknown;
}

/** Every POST the controllers declare: its path template, permission and body schema. */
function postRoutes(): Route[] {
  const routes: Route[] = [];
  for (const controller of [SourcesController, ClaimsWriteController]) {
    const base = String(Reflect.getMetadata(PATH_METADATA, controller));
    const prototype = controller.prototype as unknown as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const handler = prototype[name];
      if (
        typeof handler !== 'function' ||
        Reflect.getMetadata(METHOD_METADATA, handler) !== RequestMethod.POST
      )
        continue;
      const path = String(Reflect.getMetadata(PATH_METADATA, handler));
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as Record<
        string,
        { pipes?: unknown[] }
      >;
      const pipe = Object.values(args)
        .flatMap((arg) => arg.pipes ?? [])
        .find((p): p is ZodPipe<never> => p instanceof ZodPipe);
      routes.push({
        route: `/${base}${path === '/' ? '' : `/${path}`}`,
        permission: Reflect.getMetadata(PERMISSION_KEY, handler),
        bodySchema: (pipe as unknown as { schema?: unknown } | undefined)?.schema,
      });
    }
  }
  return routes;
}

describe('the write commands of non-HTTP transports', () => {
  it('are exactly the POST routes, with the same permission and body schema', () => {
    const declared = postRoutes().sort((a, b) => a.route.localeCompare(b.route));
    const table = Object.values(WRITE_COMMANDS)
      .map((c) => ({ route: c.route, permission: c.permission, bodySchema: c.body }))
      .sort((a, b) => a.route.localeCompare(b.route));
    expect(declared.length).toBeGreaterThanOrEqual(9);
    expect(table).toEqual(declared);
    for (const [i, route] of declared.entries()) expect(table[i]!.bodySchema).toBe(route.bodySchema);
  });

  it('name the ids of the path as params, and build the path a client would have sent', () => {
    for (const command of Object.values(WRITE_COMMANDS)) {
      expect(command.params).toEqual([...command.route.matchAll(/:(\w+)/g)].map((m) => m[1]));
    }
    expect(
      pathOf('/claims/:claimId/statements/:statementId/corrections', { claimId: 'a/b', statementId: 's' }),
    ).toBe('/claims/a%2Fb/statements/s/corrections');
  });
});
