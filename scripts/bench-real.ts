// Real-engine benchmarks (pulumi preview/up vs floors and kubectl). Filled in once the hermetic toolchain exists.
import { Row } from "./bench";

export interface RealOptions { runs: number; quick: boolean; progress: (s: string) => void; root: string }

export async function realBenchmarks(_opts: RealOptions): Promise<{ rows: Row[]; skipped?: string }> {
    return { rows: [], skipped: "not implemented yet" };
}
