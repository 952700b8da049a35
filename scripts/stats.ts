// Medians and the benchmark table: pure, so tests can check the arithmetic the ratios rest on.

export interface Sample {
    wallMs: number;
    ms: number;
    resources: number;
    maxRssKiB: number;
    /** CPU time (user + system) of the measured part: what contention for the cores does not inflate. */
    cpuMs?: number;
}
export interface Row {
    name: string;
    median: Sample;
    ratio?: number;
    ratioOf?: string;
    note?: string;
}

export function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function medianSample(samples: Sample[]): Sample {
    return {
        wallMs: median(samples.map((s) => s.wallMs)),
        ms: median(samples.map((s) => s.ms)),
        resources: samples[0]?.resources ?? 0,
        maxRssKiB: Math.max(...samples.map((s) => s.maxRssKiB)),
        ...(samples.every((s) => s.cpuMs !== undefined) && samples.length > 0 ? { cpuMs: median(samples.map((s) => s.cpuMs!)) } : {}),
    };
}

export function formatTable(title: string, rows: Row[]): string {
    const head = ["benchmark", "wall ms", "in-process ms", "resources", "peak RSS MiB", "ratio"];
    const body = rows.map((r) => [
        r.name,
        r.median.wallMs.toFixed(0),
        r.median.ms.toFixed(0),
        String(r.median.resources),
        (r.median.maxRssKiB / 1024).toFixed(0),
        r.ratio === undefined ? "" : `${r.ratio.toFixed(2)}× ${r.ratioOf ?? ""}`.trim(),
    ]);
    const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
    const line = (cells: string[]) => "| " + cells.map((c, i) => c.padEnd(widths[i])).join(" | ") + " |";
    const notes = rows.filter((r) => r.note).map((r) => `  ${r.name}: ${r.note}`);
    return [`\n${title}`, line(head), line(widths.map((w) => "-".repeat(w))), ...body.map(line), ...notes].join("\n");
}
