/**
 * What `npm run bench` found, section by section: each figure as the line printed (with its same-run baseline) and,
 * where there is one, the raw numbers behind it (medians, p95, baselines) for comparing runs. Written to
 * bench-out/results.json with the machine, the load average at the start and end of each section, and the options.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type Numbers = Readonly<Record<string, number | null>>;

export interface SectionRecord {
  readonly figures: Record<string, string>;
  readonly numbers: Record<string, Numbers>;
  readonly loadAverage: { start: readonly number[]; end: readonly number[] | null };
  seconds: number | null;
  error: string | null;
}

export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
}

export function machineInfo(): MachineInfo {
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
  };
}

const loadAverage = () => os.loadavg().map((l) => Math.round(l * 100) / 100);

export class BenchReport {
  readonly started = new Date();
  readonly sections: Record<string, SectionRecord> = {};
  private current: SectionRecord | null = null;

  constructor(
    readonly options: unknown,
    private readonly log: (line: string) => void = (s) => process.stderr.write(`${s}\n`),
  ) {}

  /** Runs one section, timing it and recording its error instead of stopping the other sections. */
  async section(name: string, run: () => Promise<void> | void): Promise<boolean> {
    const record: SectionRecord = { figures: {}, numbers: {}, loadAverage: { start: loadAverage(), end: null }, seconds: null, error: null };
    this.sections[name] = record;
    this.current = record;
    this.log(`\n== ${name} == (load average ${record.loadAverage.start.join(' ')} on ${os.cpus().length} cores)`);
    const t0 = performance.now();
    try {
      await run();
      return true;
    } catch (err) {
      record.error = (err as Error).stack ?? String(err);
      this.log(`  ${name} FAILED: ${record.error}`);
      return false;
    } finally {
      record.seconds = Math.round((performance.now() - t0) / 100) / 10;
      record.loadAverage.end = loadAverage();
      this.log(`  (${name}: ${record.seconds} s, load average ${record.loadAverage.end.join(' ')})`);
      this.current = null;
    }
  }

  /** Records and prints one figure of the running section. */
  figure(name: string, text: string, numbers?: Numbers): void {
    this.record(name, text, numbers);
    this.log(`  ${name}: ${text}`);
  }

  /** Records one figure without printing it (for section modules that print their own). */
  record(name: string, text: string, numbers?: Numbers): void {
    if (!this.current) throw new Error(`figure "${name}" reported outside a section`);
    this.current.figures[name] = text;
    if (numbers) this.current.numbers[name] = numbers;
  }

  /** Every figure of a record of name → text (the figures of the section modules that return them). */
  figures(lines: Readonly<Record<string, string>>): void {
    for (const [k, v] of Object.entries(lines)) this.figure(k, v);
  }

  toJSON() {
    return { date: this.started.toISOString(), machine: machineInfo(), options: this.options, sections: this.sections };
  }

  write(file: string): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(this.toJSON(), null, 2)}\n`);
  }
}
