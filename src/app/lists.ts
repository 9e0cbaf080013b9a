// Parsing of the REST lists the connection bar and the session editor use.

/** A voice name list from `/v1/realtime/voiceList`. Accepts (DESIGN §7) an array of strings, or of objects with
 *  `name`/`id`/`voice`, bare or under `data`/`voices`. Unknown shapes give []. Duplicates are removed. */
export function parseVoiceList(body: unknown): string[] {
  let arr: unknown = body;
  if (arr && typeof arr === 'object' && !Array.isArray(arr)) {
    const o = arr as Record<string, unknown>;
    arr = Array.isArray(o.data) ? o.data : Array.isArray(o.voices) ? o.voices : null;
  }
  if (!Array.isArray(arr)) return [];
  const out: string[] = [];
  for (const v of arr) {
    let name: unknown = v;
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      name = o.name ?? o.id ?? o.voice;
    }
    if (typeof name === 'string' && name.trim() && !out.includes(name.trim())) out.push(name.trim());
  }
  return out;
}

/** Model ids from `/v1/models` (`{data:[{id}]}` or an array of ids/objects). */
export function parseModelList(body: unknown): string[] {
  const arr = Array.isArray(body) ? body : body && typeof body === 'object' && Array.isArray((body as { data?: unknown }).data) ? (body as { data: unknown[] }).data : [];
  const out: string[] = [];
  for (const m of arr) {
    const id = typeof m === 'string' ? m : m && typeof m === 'object' ? (m as { id?: unknown }).id : undefined;
    if (typeof id === 'string' && id && !out.includes(id)) out.push(id);
  }
  return out;
}

/** Voices offered when the list cannot be fetched (xStar's documented default first). */
export const FALLBACK_VOICES: readonly string[] = ['龙婉', '龙小淳', '龙小诚', '龙老铁'];

/** OpenAI's voices (no list endpoint). */
export const OPENAI_VOICES: readonly string[] = ['alloy', 'ash', 'ballad', 'coral', 'echo', 'sage', 'shimmer', 'verse', 'marin', 'cedar'];
