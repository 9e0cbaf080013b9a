// Per-item audio: a wavesurfer.js waveform (loaded lazily, only where the browser has layout and canvas) with
// play/pause, a truncation mark, and WAV download. The WAV is built from the item's Int16 chunks at the item's own
// rate (user audio at the input rate, assistant audio at the output rate).
import { useEffect, useRef, useState } from 'react';
import type WaveSurfer from 'wavesurfer.js';
import { useT } from '../../i18n';
import { encodeWav, WAV_MIME } from '../../lib/dsp/wav';
import type { ItemAudio, ItemRole } from '../../store/slices/conversation';
import { downloadBlob } from '../common/clipboard';
import { computePeaks } from './peaks';

/** Whether this environment can draw a waveform (jsdom cannot: no ResizeObserver, no canvas). */
export function canDrawWaveform(): boolean {
  return typeof window !== 'undefined' && typeof window.ResizeObserver === 'function' && typeof HTMLCanvasElement !== 'undefined';
}

/** A WAV blob of the item's audio. */
export function itemWavBlob(audio: ItemAudio): Blob {
  // Copy into a fresh ArrayBuffer-backed view: Blob wants ArrayBuffer, not a possibly shared buffer.
  const bytes = encodeWav(audio.track.toInt16Array(), audio.sampleRate);
  return new Blob([bytes.slice().buffer as ArrayBuffer], { type: WAV_MIME });
}

/** Audio of one item. `live` = still streaming: the waveform waits until the item is complete. */
export function ItemAudioView({
  itemId,
  role,
  audio,
  truncatedAtMs,
  live,
}: {
  itemId: string;
  role: ItemRole;
  audio: ItemAudio;
  truncatedAtMs?: number;
  live: boolean;
}) {
  const t = useT();
  const container = useRef<HTMLDivElement>(null);
  const ws = useRef<WaveSurfer | null>(null);
  const [playing, setPlaying] = useState(false);
  const [ready, setReady] = useState(false);
  const seconds = (audio.durationMs / 1000).toFixed(2);
  const roleName = t(`conversation.role.${role}`);

  useEffect(() => {
    if (live || audio.samples === 0 || !canDrawWaveform() || !container.current) return;
    let disposed = false;
    const url = URL.createObjectURL(itemWavBlob(audio));
    const samples = audio.track.toInt16Array();
    const width = container.current.clientWidth || 300;
    const peaks = computePeaks(samples, Math.max(50, Math.min(2000, width * 2)));
    import('wavesurfer.js')
      .then(({ default: WaveSurferCtor }) => {
        if (disposed || !container.current) return;
        const instance = WaveSurferCtor.create({
          container: container.current,
          url,
          peaks: [peaks],
          duration: audio.durationMs / 1000,
          height: 48,
          normalize: true,
          waveColor: role === 'user' ? '#5b8def' : '#2aa876',
          progressColor: role === 'user' ? '#2c5fc0' : '#167a52',
          cursorWidth: 1,
          barWidth: 2,
          barGap: 1,
        });
        instance.on('play', () => setPlaying(true));
        instance.on('pause', () => setPlaying(false));
        instance.on('finish', () => setPlaying(false));
        ws.current = instance;
        setReady(true);
      })
      .catch(() => {
        // Without the waveform the download still works.
      });
    return () => {
      disposed = true;
      ws.current?.destroy();
      ws.current = null;
      setReady(false);
      setPlaying(false);
      URL.revokeObjectURL(url);
    };
    // audio.version changes when samples are added; the track object itself is stable.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [audio.version, audio.sampleRate, live, role]);

  const truncPct =
    truncatedAtMs !== undefined && audio.durationMs > 0 ? Math.min(100, (truncatedAtMs / audio.durationMs) * 100) : undefined;

  return (
    <div className="item-audio" role="group" aria-label={t('conversation.audio.label', { role: roleName, seconds, rate: audio.sampleRate })}>
      <div className="item-audio-wave" ref={container} style={{ position: 'relative', minHeight: 8 }}>
        {truncPct !== undefined && (
          <div
            className="item-audio-cut"
            data-testid="truncation-mark"
            title={t('conversation.truncatedAt', { ms: Math.round(truncatedAtMs!) })}
            style={{ position: 'absolute', top: 0, bottom: 0, left: `${truncPct}%`, width: 2, zIndex: 3 }}
          />
        )}
      </div>
      <div className="item-audio-controls">
        {ready && (
          <button
            type="button"
            className="btn btn-small"
            aria-label={playing ? t('conversation.audio.pause') : t('conversation.audio.play')}
            aria-pressed={playing}
            onClick={() => void ws.current?.playPause()}
          >
            {playing ? t('common.pause') : t('common.play')}
          </button>
        )}
        <span className="item-audio-meta">
          {seconds} s · {t('common.hz', { n: audio.sampleRate })}
        </span>
        <button
          type="button"
          className="btn btn-small"
          disabled={audio.samples === 0}
          onClick={() => downloadBlob(itemWavBlob(audio), `${itemId}-${audio.sampleRate}Hz.wav`)}
        >
          {t('conversation.audio.download')}
        </button>
      </div>
    </div>
  );
}
