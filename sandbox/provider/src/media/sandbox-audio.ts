// Real, short WAV tracks for the sandbox's music tasks, written with wavefile: mono, 16-bit PCM at 8 kHz, two
// seconds: four notes of a pentatonic scale with a soft attack and release, chosen by a hash of the request, so
// the same request always sounds the same (and two tracks of one task differ). About 32 KB each.
import { createHash } from 'node:crypto';
import { WaveFile } from 'wavefile';

export const SANDBOX_TRACK_SECONDS = 2;
const SAMPLE_RATE = 8_000;
const NOTES = 4;
// A minor pentatonic from A3, in Hz.
const SCALE = [220, 261.63, 293.66, 329.63, 392, 440, 523.25, 587.33];

/** A WAV file (RIFF, PCM) for `seed` (the task's request and the track's index). */
export function sandboxTrack(seed: string): Buffer {
  const hash = createHash('sha256').update(seed).digest();
  const perNote = (SAMPLE_RATE * SANDBOX_TRACK_SECONDS) / NOTES;
  const samples = new Int16Array(SAMPLE_RATE * SANDBOX_TRACK_SECONDS);
  for (let note = 0; note < NOTES; note++) {
    const frequency = SCALE[hash[note] % SCALE.length];
    for (let i = 0; i < perNote; i++) {
      // 10 ms attack and release, so notes do not click.
      const ramp = Math.min(1, i / 80, (perNote - i) / 80);
      const t = i / SAMPLE_RATE;
      samples[note * perNote + i] = Math.round(0.3 * 32_767 * ramp * Math.sin(2 * Math.PI * frequency * t));
    }
  }
  const wav = new WaveFile();
  wav.fromScratch(1, SAMPLE_RATE, '16', samples);
  return Buffer.from(wav.toBuffer());
}
