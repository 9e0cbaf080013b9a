// The network-facing actions the panels need, implemented by the session bridge (src/app). Components call
// `getCommands()` and never touch a socket; tests register a fake.

/** What the UI may ask the session to do. The bridge implements it (and may extend this interface). */
export interface ConsoleCommands {
  /** Sends any client event as given (the composer). The bridge fills `event_id` if missing and logs it. */
  sendRawEvent(event: { type: string; [key: string]: unknown }): void;
  /**
   * Sends a user message with one content part of `kind` and asks for a response (`input_text`), or has the
   * server speak it (`tts_text`, xStar). The caller interrupts playing audio first via {@link interrupt}.
   */
  sendText(text: string, kind: 'input_text' | 'tts_text'): void;
  /** Deletes an item on the server (`conversation.item.delete`); the store removes it on `.deleted`. */
  deleteItem(itemId: string): void;
  /**
   * Stops the audio that is playing and cancels/truncates the active response. A no-op when nothing plays and no
   * response is active (it must never send `response.cancel` without an active response).
   */
  interrupt(): void;
}

/** Commands that do nothing, used until the bridge registers (e.g. before the app mounts). */
export const NOOP_COMMANDS: ConsoleCommands = {
  sendRawEvent: () => undefined,
  sendText: () => undefined,
  deleteItem: () => undefined,
  interrupt: () => undefined,
};

let current: ConsoleCommands = NOOP_COMMANDS;

/** Installs the implementation; returns a function that uninstalls it (if it is still the current one). */
export function registerCommands(commands: ConsoleCommands): () => void {
  current = commands;
  return () => {
    if (current === commands) current = NOOP_COMMANDS;
  };
}

/** The current implementation (the no-op one when none is registered). */
export function getCommands(): ConsoleCommands {
  return current;
}
