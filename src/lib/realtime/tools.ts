/**
 * Client-side tools: a registry of definitions and handlers, and the runner that answers function calls.
 * One `function_call_output` per call (a throw or a timeout becomes an error output; `undefined` a valid one),
 * then exactly one `response.create` per response, once that response is done and all its calls have answered.
 */

import { InvalidArgumentError } from './errors';
import type { ToolDefinition } from './protocol';

/** Context given to a tool handler. */
export interface ToolCallContext {
  callId: string;
  itemId: string;
  /** Aborted when the call times out or the client disconnects. */
  signal: AbortSignal;
}

/** A tool handler: parsed arguments in, any JSON-serialisable value out (sync or async). */
export type ToolHandler = (args: Record<string, unknown>, context: ToolCallContext) => unknown;

/** A registered tool. */
export interface RegisteredTool {
  definition: ToolDefinition;
  handler: ToolHandler;
}

/** Name -> tool. */
export class ToolRegistry {
  private readonly tools = new Map<string, RegisteredTool>();

  /** Adds a tool; throws {@link InvalidArgumentError} for a missing name, a duplicate or a non-function handler. */
  add(definition: ToolDefinition, handler: ToolHandler): RegisteredTool {
    const name = definition?.name;
    if (typeof name !== 'string' || name === '') throw new InvalidArgumentError('a tool needs a name');
    if (this.tools.has(name)) throw new InvalidArgumentError(`tool "${name}" is already added; remove it first`);
    if (typeof handler !== 'function') throw new InvalidArgumentError(`tool "${name}" needs a handler function`);
    const tool = { definition: { ...definition, type: 'function' as const }, handler };
    this.tools.set(name, tool);
    return tool;
  }

  /** Removes a tool; throws {@link InvalidArgumentError} when it does not exist. */
  remove(name: string): void {
    if (!this.tools.delete(name)) throw new InvalidArgumentError(`tool "${name}" does not exist`);
  }

  get(name: string): RegisteredTool | undefined {
    return this.tools.get(name);
  }

  has(name: string): boolean {
    return this.tools.has(name);
  }

  definitions(): ToolDefinition[] {
    return [...this.tools.values()].map((t) => ({ ...t.definition }));
  }

  clear(): void {
    this.tools.clear();
  }
}

/** A function call to answer. */
export interface PendingCall {
  itemId: string;
  callId: string;
  name: string;
  arguments: string;
  responseId: string | null;
}

/** What the runner needs from the client. */
export interface ToolRunnerHost {
  /** Sends the output item; returns false if it could not be sent (disconnected). */
  sendOutput(callId: string, output: string): boolean;
  /** Sends one `response.create`. */
  createResponse(): void;
  /** Reports a tool failure (it still produced an error output). */
  reportError(error: Error, call: PendingCall): void;
}

interface Batch {
  runs: Promise<boolean>[];
  done: boolean;
  scheduled: boolean;
}

/** Stringifies a handler result into a valid `output` string. */
export function toolOutput(result: unknown): string {
  if (result === undefined) return 'null';
  try {
    const s = JSON.stringify(result);
    return s === undefined ? 'null' : s;
  } catch (err) {
    return JSON.stringify({ error: `tool result is not JSON-serialisable: ${err instanceof Error ? err.message : String(err)}` });
  }
}

/** Runs tool handlers for function calls and sends the follow-up response once per response. */
export class ToolRunner {
  private readonly batches = new Map<string, Batch>();
  private readonly handled = new Set<string>();
  private readonly controllers = new Set<AbortController>();
  /** The last few responses that ended (bounded). */
  private readonly doneResponses: string[] = [];
  private readonly registry: ToolRegistry;
  private readonly host: ToolRunnerHost;
  private readonly timeoutMs: number;

  constructor(registry: ToolRegistry, host: ToolRunnerHost, timeoutMs = 30_000) {
    this.registry = registry;
    this.host = host;
    this.timeoutMs = timeoutMs;
  }

  /** A function call item is done. Returns false when no handler is registered (the app handles it). */
  callDone(call: PendingCall): boolean {
    if (this.handled.has(call.callId)) return true;
    const tool = this.registry.get(call.name);
    if (!tool) return false;
    this.handled.add(call.callId);
    const key = call.responseId ?? '';
    const batch = this.batch(key);
    batch.runs.push(this.run(tool, call));
    // The call's response already ended (a late GA `conversation.item.done`): answer it on its own.
    if (this.doneResponses.includes(key)) {
      batch.done = true;
      this.schedule(key, batch);
    }
    return true;
  }

  /** The response is done: once all its calls have answered, send one `response.create`. */
  responseDone(responseId: string): void {
    this.doneResponses.push(responseId);
    if (this.doneResponses.length > 32) this.doneResponses.shift();
    const batch = this.batches.get(responseId);
    if (!batch) return;
    batch.done = true;
    this.schedule(responseId, batch);
  }

  /** Aborts running handlers and forgets everything (disconnect). */
  reset(): void {
    for (const c of this.controllers) c.abort();
    this.controllers.clear();
    this.batches.clear();
    this.handled.clear();
    this.doneResponses.length = 0;
  }

  private batch(key: string): Batch {
    let b = this.batches.get(key);
    if (!b) {
      b = { runs: [], done: false, scheduled: false };
      this.batches.set(key, b);
    }
    return b;
  }

  private schedule(key: string, batch: Batch): void {
    if (!batch.done || batch.scheduled) return;
    batch.scheduled = true;
    void Promise.all(batch.runs).then((sent) => {
      if (this.batches.get(key) !== batch) return; // reset meanwhile
      this.batches.delete(key);
      if (sent.some(Boolean)) this.host.createResponse();
    });
  }

  private async run(tool: RegisteredTool, call: PendingCall): Promise<boolean> {
    const controller = new AbortController();
    this.controllers.add(controller);
    let output: string;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      let args: Record<string, unknown> = {};
      if (call.arguments.trim() !== '') {
        const parsed: unknown = JSON.parse(call.arguments);
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new InvalidArgumentError('tool arguments are not a JSON object');
        args = parsed as Record<string, unknown>;
      }
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort();
          reject(new Error(`tool "${call.name}" timed out after ${this.timeoutMs} ms`));
        }, this.timeoutMs);
      });
      const result = await Promise.race([Promise.resolve().then(() => tool.handler(args, { callId: call.callId, itemId: call.itemId, signal: controller.signal })), timeout]);
      output = toolOutput(result);
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      this.host.reportError(error, call);
      output = JSON.stringify({ error: error.message });
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      this.controllers.delete(controller);
    }
    if (controller.signal.aborted && !this.handled.has(call.callId)) return false; // reset while running
    return this.host.sendOutput(call.callId, output);
  }
}
