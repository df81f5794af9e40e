/** The subset of the OpenAI-compatible chat-completions protocol this app speaks. */
export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type LlmMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: ToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

export interface ToolDefinition {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

interface CompletionResponse {
  choices?: { message?: { content?: string | null; tool_calls?: ToolCall[] } }[];
}

export class LlmError extends Error {}

/** POSTs to `{baseUrl}/chat/completions` with a deadline; any failure is an `LlmError`. */
export class LlmClient {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
    private readonly model: string,
    private readonly timeoutMs: number,
  ) {}

  async complete(
    messages: LlmMessage[],
    tools: ToolDefinition[],
  ): Promise<{ content: string | null; toolCalls: ToolCall[] }> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl.replace(/\/$/, '')}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.apiKey}` },
        body: JSON.stringify({
          model: this.model,
          messages,
          tools,
          tool_choice: 'auto',
          temperature: 0,
        }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new LlmError(
        `LLM request failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (!response.ok)
      throw new LlmError(
        `LLM answered ${response.status}: ${(await response.text()).slice(0, 300)}`,
      );
    const body = (await response.json().catch(() => null)) as CompletionResponse | null;
    const message = body?.choices?.[0]?.message;
    if (!message) throw new LlmError('LLM answer has no message');
    return { content: message.content ?? null, toolCalls: message.tool_calls ?? [] };
  }
}
