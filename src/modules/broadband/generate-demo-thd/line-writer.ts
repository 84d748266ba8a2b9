import { closeSync, openSync, writeSync } from "node:fs";

/** Buffered line writer (a few MB at a time): generation is bound by string building, not I/O. */
export class LineWriter {
  private fd: number;
  private parts: string[] = [];
  private size = 0;
  lines = 0;

  constructor(file: string) {
    this.fd = openSync(file, "w");
  }

  line(text: string): void {
    this.parts.push(text);
    this.size += text.length + 1;
    this.lines++;
    if (this.size > 4_000_000) this.flush();
  }

  private flush(): void {
    if (this.parts.length === 0) return;
    writeSync(this.fd, `${this.parts.join("\n")}\n`);
    this.parts = [];
    this.size = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
