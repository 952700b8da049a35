// The fleet's live view: one line per stack (wave, phase, resources done/total, elapsed). On a terminal the lines are
// redrawn in place; elsewhere (CI logs) a line is printed when a stack changes phase.

export type Phase = "waiting" | "previewing" | "updating" | "refreshing" | "destroying" | "health" | "succeeded" | "failed" | "skipped";

/** What the view shows of one stack. */
export interface StackProgress {
    name: string;
    wave: number;
    phase: Phase;
    done: number;
    total?: number;
    startedAt?: number;
    endedAt?: number;
    note?: string;
}

function seconds(p: StackProgress, now: number): string {
    if (p.startedAt === undefined) return "";
    return `${(((p.endedAt ?? now) - p.startedAt) / 1000).toFixed(0)}s`;
}

/** One stack's line. Pure. */
export function progressLine(p: StackProgress, width: number, now = Date.now()): string {
    const count = p.total !== undefined ? `${p.done}/${p.total}` : p.done > 0 ? `${p.done}` : "";
    return `wave ${p.wave + 1}  ${p.name.padEnd(width)}  ${p.phase.padEnd(10)}  ${count.padStart(7)}  ${seconds(p, now).padStart(5)}${p.note ? `  ${p.note}` : ""}`;
}

/** Holds the stacks' progress and draws it to `out`. */
export class ProgressView {
    private drawn = 0;
    private timer?: NodeJS.Timeout;
    private readonly width: number;

    constructor(
        readonly stacks: StackProgress[],
        private readonly out: NodeJS.WriteStream = process.stderr,
    ) {
        this.width = Math.max(...stacks.map((s) => s.name.length));
        if (out.isTTY) this.timer = setInterval(() => this.redraw(), 500);
    }

    /** Changes a stack's progress; off a terminal, a phase change prints its line. */
    update(name: string, change: Partial<StackProgress>): void {
        const p = this.stacks.find((s) => s.name === name)!;
        const phaseChanged = change.phase !== undefined && change.phase !== p.phase;
        Object.assign(p, change);
        if (!this.out.isTTY && phaseChanged) this.out.write(`[fleet] ${progressLine(p, this.width)}\n`);
    }

    private redraw(): void {
        if (this.drawn > 0) this.out.write(`\x1b[${this.drawn}A`);
        for (const p of this.stacks) this.out.write(`\x1b[2K${progressLine(p, this.width)}\n`);
        this.drawn = this.stacks.length;
    }

    /** Final frame. */
    stop(): void {
        if (this.timer) {
            clearInterval(this.timer);
            this.redraw();
        }
    }
}
