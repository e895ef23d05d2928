/**
 * Identifiers read out in words are the subject's data in call and chat transcripts, and only
 * there: in a log, "four one five …" is not searched (and the log keeps the fast anchored path).
 */
import { describe, expect, test } from 'vitest';
import { looksLikeTranscript } from '../src/formats/text.js';
import { runOnFiles } from './formats/store-run.js';

const SPOKEN_PHONE = 'four one five, five five five, oh one one five';

describe('spoken identifiers are searched in transcripts only', () => {
  test('a WebVTT call and an IRC chat log are transcripts; a log and a CSV are not', () => {
    expect(looksLikeTranscript(Buffer.from('WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Agent>Hello\n'))).toBe(true);
    expect(looksLikeTranscript(Buffer.from('[09:19] <ava> hi\n[09:20] <zoe> hello\n[09:21] <ava> ok\n'))).toBe(true);
    expect(looksLikeTranscript(Buffer.from('Agent: hello\nCaller: hi\nAgent: your number?\nCaller: sure\n'))).toBe(true);
    expect(looksLikeTranscript(Buffer.from('2026-03-02T09:11:00Z INFO call started\n2026-03-02T09:12:00Z INFO ok\n'))).toBe(false);
    expect(looksLikeTranscript(Buffer.from('id,name,phone\n1,Ava Chen,4155550199\n'))).toBe(false);
  });

  // Same files with and without the detectors, and an e-mail: spoken forms are for transcripts
  // whatever else the run looks for, and whatever reader a text goes through.
  test.each([false, true])('the same spoken number counts in a transcript and not in a log or an e-mail (--detect %s)', async (detect) => {
    const mail = `From: a@example.com\r\nTo: b@example.com\r\nSubject: call\r\nContent-Type: text/plain\r\n\r\nShe said ${SPOKEN_PHONE}.\r\n`;
    const run = await runOnFiles('discover', {
      'note.eml': mail,
      'call.vtt': `WEBVTT\n\n00:00:01.000 --> 00:00:06.000\n<v Caller>My number is ${SPOKEN_PHONE}.\n`,
      'chat.txt': `Agent: what is your number?\nCaller: ${SPOKEN_PHONE}\nAgent: thanks\n`,
      'app.log': `2026-03-02T09:11:00Z INFO note="${SPOKEN_PHONE}"\n`,
    }, { detect });
    const variants = (artifact: string) => run.findings.filter((f) => f.artifact.endsWith(artifact)).map((f) => `${f.identifier.kind}:${f.variant}`);
    expect(variants('call.vtt')).toEqual(['phone:spoken']);
    expect(variants('chat.txt')).toEqual(['phone:spoken']);
    expect(variants('app.log')).toEqual([]);
    expect(variants('note.eml')).toEqual([]);
    expect(run.records.get('ENG-7/note.eml')?.status).toBe('scanned');
  });
});
