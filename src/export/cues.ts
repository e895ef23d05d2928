/**
 * Subtitles and transcripts (WebVTT, SRT): each cue that mentions the subject, as a message with
 * its speaker (`<v Speaker>` voice tag or `Speaker:` prefix) and its start and end time.
 */
import { linesOf, type Line } from './lines.js';
import type { RecordRedactor } from './redact.js';
import type { ExportRecord } from './records.js';

const TIMING = /^\s*((?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->\s*((?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})/;
const VOICE = /<v(?:\.[^ >]*)?\s+([^>]+)>/;
const PREFIX = /^\s*([^:<>\n]{1,60}?):\s+/;

/** Speaker and plain text of a cue payload (tags removed). */
function speakerOf(payload: string): { speaker: string | null; text: string } {
  const voice = VOICE.exec(payload);
  if (voice) return { speaker: voice[1]!.trim(), text: stripTags(payload) };
  const prefix = PREFIX.exec(payload);
  if (prefix && !/\d{2}:\d{2}/.test(prefix[1]!)) return { speaker: prefix[1]!.trim(), text: stripTags(payload.slice(prefix[0].length)) };
  return { speaker: null, text: stripTags(payload) };
}

function stripTags(text: string): string {
  return text.replace(/<\/?[a-z][^>]*>/gi, '').trim();
}

export function cueRecords(text: string, r: RecordRedactor): ExportRecord[] {
  const records: ExportRecord[] = [];
  const lines = linesOf(text);
  let cue = 0;
  for (let i = 0; i < lines.length; i++) {
    const timing = TIMING.exec(lines[i]!.text);
    if (!timing) continue;
    cue++;
    const payload: Line[] = [];
    for (let j = i + 1; j < lines.length && lines[j]!.text.trim() !== ''; j++) payload.push(lines[j]!);
    const raw = payload.map((l) => l.text).join('\n');
    if (!r.mentions(raw)) continue;
    // Redact first, then read the speaker: another person's name in a voice tag becomes [PERSON].
    const { text: clean, identifiers } = r.redact(raw);
    const { speaker, text: said } = speakerOf(clean);
    records.push({ kind: 'message', locator: { cue, line: lines[i]!.line }, identifiers, speaker, time: timing[1]!, end: timing[2]!, text: said });
  }
  return records;
}
