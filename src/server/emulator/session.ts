import type { WebSocket } from 'ws';
import type { Synthesizer } from '../tts/types';
import type { HandshakeInfo } from './handshake';
import type { MemoryStore } from './plugins/memory';

/** What a session gets from its emulator. */
export interface SessionContext {
  authorised: boolean;
  synthesizer: Synthesizer | null;
  memory: MemoryStore;
  log: (line: string) => void;
  pacingSpeed: number;
}

/** One connection (work in progress: full protocol follows). */
export class Session {
  private readonly closedListeners: (() => void)[] = [];
  constructor(
    private readonly ws: WebSocket,
    private readonly info: HandshakeInfo,
    private readonly ctx: SessionContext,
  ) {
    ws.on('close', () => this.closedListeners.forEach((l) => l()));
  }
  onClosed(listener: () => void): void {
    this.closedListeners.push(listener);
  }
  async close(code: number, reason: string): Promise<void> {
    void this.info;
    void this.ctx;
    this.ws.close(code, reason);
  }
}
