import Joi from 'joi';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { isJSONRPCRequest, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { ACCESS_TOKEN_PREFIX } from '@todo/contracts';
import { createLogger, loadConfig } from '@todo/platform';

/**
 * `npm run -s mcp`: the MCP server for desktop assistants that start a local process. It is
 * a relay between stdio and the api's `POST /mcp` (Streamable HTTP), authenticated by a
 * personal access token, so the tools run where the data is, through the same services.
 */
interface StdioConfig {
  TODO_URL: string;
  TODO_TOKEN: string;
  LOG_LEVEL: string;
}

const load = () =>
  loadConfig(
    'mcp',
    Joi.object<StdioConfig>({
      TODO_URL: Joi.string()
        .uri({ scheme: ['http', 'https'] })
        .default('http://localhost:8080')
        .description('The site’s origin, e.g. https://todo.example.com'),
      TODO_TOKEN: Joi.string()
        .pattern(new RegExp(`^${ACCESS_TOKEN_PREFIX}`))
        .required()
        .messages({
          'string.pattern.base': 'TODO_TOKEN must be a personal access token (todo_pat_…)',
        })
        .description('A personal access token from Settings → Connections.'),
      LOG_LEVEL: Joi.string().default('info'),
    }),
  );
let config: StdioConfig;
try {
  config = load();
} catch (error) {
  // A person reads this in their assistant's server log: one line, no stack.
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
// stdout carries the protocol: logs go to stderr, which assistants show as the server's log.
const logger = createLogger({
  service: 'mcp-stdio',
  level: config.LOG_LEVEL,
  destination: process.stderr,
});

const local = new StdioServerTransport();
const remote = new StreamableHTTPClientTransport(new URL('/mcp', config.TODO_URL), {
  requestInit: { headers: { authorization: `Bearer ${config.TODO_TOKEN}` } },
});

/** A request the api could not answer (down, 401, 403) is answered here, so the assistant is not left waiting. */
async function relay(message: JSONRPCMessage): Promise<void> {
  try {
    await remote.send(message);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    logger.warn({ err: error }, 'the api did not take a message');
    if (isJSONRPCRequest(message))
      await local.send({
        jsonrpc: '2.0',
        id: message.id,
        error: {
          code: -32000,
          message: `the todo api at ${config.TODO_URL} refused or failed: ${reason}`,
        },
      });
  }
}

local.onmessage = (message) => void relay(message);
remote.onmessage = (message) => void local.send(message);
remote.onerror = (error) => logger.warn({ err: error }, 'api transport error');
local.onclose = () => void remote.close().finally(() => process.exit(0));

await remote.start();
await local.start();
logger.info({ url: config.TODO_URL }, 'relaying MCP between stdio and the api');
