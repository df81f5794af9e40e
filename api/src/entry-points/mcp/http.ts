import type { RequestHandler } from 'express';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { AccessTokenScope } from '@todo/contracts';
import type { Services } from '../../domain/services.js';
import { userIdOf } from '../http/auth/require-user.js';
import { createMcpServer } from './server.js';

/**
 * `POST /mcp`: Streamable HTTP, stateless (a server and transport per request, JSON answers),
 * so any replica can take any request and nothing is held between them. Authentication is
 * `requireUser`'s (a JWT or a personal access token) before this.
 */
export function mcpHandler(services: Services): RequestHandler {
  return async (req, res) => {
    const server = createMcpServer(services, {
      userId: userIdOf(req),
      scope: res.locals.tokenScope as AccessTokenScope | undefined,
    });
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  };
}
