/** A one-line progress display on stderr, only when stderr is a terminal. */
export interface ProgressState {
  artifactsDone: number;
  artifactsTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

const MB = 1024 * 1024;

export function formatProgress(p: ProgressState, seconds: number): string {
  const rate = seconds > 0 ? p.bytesDone / MB / seconds : 0;
  const left = rate > 0 ? (p.bytesTotal - p.bytesDone) / MB / rate : NaN;
  const eta = Number.isFinite(left) ? `${Math.floor(left / 60)}:${String(Math.round(left % 60)).padStart(2, '0')}` : '--:--';
  return (
    `artifacts ${p.artifactsDone}/${p.artifactsTotal}  ` +
    `${(p.bytesDone / MB).toFixed(1)}/${(p.bytesTotal / MB).toFixed(1)} MB  ` +
    `${rate.toFixed(1)} MB/s  ETA ${eta}`
  );
}

export function terminalProgress(stream: NodeJS.WriteStream = process.stderr) {
  if (!stream.isTTY) return { update: (_p: ProgressState) => {}, done: () => {} };
  const start = Date.now();
  let last = 0;
  return {
    update(p: ProgressState) {
      const now = Date.now();
      if (now - last < 100 && p.artifactsDone < p.artifactsTotal) return;
      last = now;
      stream.write(`\r\x1b[K${formatProgress(p, (now - start) / 1000)}`);
    },
    done() {
      stream.write('\r\x1b[K');
    },
  };
}
