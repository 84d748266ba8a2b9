/** One step of a long job: `done` out of `total` units (null when the total is not known). */
export interface ProgressEvent {
  step: string;
  done: number;
  total: number | null;
}

export type ProgressListener = (event: ProgressEvent) => void;

export const ignoreProgress: ProgressListener = () => {};

/**
 * Renders progress on a terminal: a bar redrawn in place on a TTY, and one line per step and per
 * tenth elsewhere (CI logs, pipes), so that logs stay readable.
 */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): ProgressListener & { end(): void } {
  let currentStep = "";
  let lastTenth = -1;
  let lastDraw = 0;
  const tty = stream.isTTY === true;
  const line = (e: ProgressEvent) => {
    if (e.total === null || e.total === 0) return `${e.step}… ${e.done.toLocaleString("fr-FR")}`;
    const ratio = Math.min(1, e.done / e.total);
    const width = 24;
    const filled = Math.round(ratio * width);
    return `${e.step} [${"█".repeat(filled)}${"░".repeat(width - filled)}] ${Math.floor(ratio * 100)} % (${e.done.toLocaleString("fr-FR")}/${e.total.toLocaleString("fr-FR")})`;
  };
  const listener = (e: ProgressEvent) => {
    if (tty) {
      const now = Date.now();
      const finished = e.total !== null && e.done >= e.total;
      if (e.step !== currentStep && currentStep !== "") stream.write("\n");
      if (e.step !== currentStep || finished || now - lastDraw > 100) {
        stream.write(`\r\x1b[2K${line(e)}`);
        lastDraw = now;
      }
      currentStep = e.step;
      return;
    }
    const tenth = e.total ? Math.floor((10 * e.done) / e.total) : 0;
    if (e.step !== currentStep || tenth !== lastTenth) {
      stream.write(`${line(e)}\n`);
      currentStep = e.step;
      lastTenth = tenth;
    }
  };
  return Object.assign(listener, {
    end() {
      if (tty && currentStep !== "") stream.write("\n");
      currentStep = "";
    },
  });
}
