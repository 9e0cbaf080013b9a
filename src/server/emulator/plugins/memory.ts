/**
 * The `remember` / `recall` plugins: facts per `userId`, kept across reconnects for the life of the
 * server (in memory only). Bounded: at most MAX_USERS users and MAX_FACTS facts per user, oldest first out.
 */

const MAX_USERS = 1000;
const MAX_FACTS = 50;
const MAX_FACT_CHARS = 500;

/** Per-user fact store shared by all sessions of one emulator. */
export class MemoryStore {
  private readonly users = new Map<string, string[]>();

  /** Stores a fact for `userId` (trimmed, bounded); returns the number of facts now kept. */
  remember(userId: string, fact: string): number {
    const text = fact.trim().slice(0, MAX_FACT_CHARS);
    let facts = this.users.get(userId);
    if (!facts) {
      if (this.users.size >= MAX_USERS) {
        const oldest = this.users.keys().next().value;
        if (oldest !== undefined) this.users.delete(oldest);
      }
      facts = [];
      this.users.set(userId, facts);
    }
    if (text !== '' && !facts.includes(text)) {
      facts.push(text);
      if (facts.length > MAX_FACTS) facts.shift();
    }
    return facts.length;
  }

  /** The facts kept for `userId`, oldest first; filtered by `query` (case-insensitive substring) when given. */
  recall(userId: string, query?: string): string[] {
    const facts = this.users.get(userId) ?? [];
    if (!query) return [...facts];
    const q = query.toLowerCase();
    return facts.filter((f) => f.toLowerCase().includes(q));
  }
}
