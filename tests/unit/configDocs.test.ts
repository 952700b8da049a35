// docs/configuration.md's reference table is generated from the schema, the defaults and the stack files: it must be current.
import { expect } from "chai";
import * as fs from "fs";
import { DOC, renderDoc, renderTable } from "../../scripts/config-docs";

describe("docs/configuration.md config reference", () => {
    it("is what scripts/config-docs.ts renders today", () => {
        const current = fs.readFileSync(DOC, "utf8");
        expect(current === renderDoc(current), "run: npx ts-node scripts/config-docs.ts --write").to.equal(true);
    });

    it("has a row for every top-level key and the per-workload defaults", () => {
        const table = renderTable();
        for (const key of ["environment", "namespace.name", "services", "charts", "defaults.replicas", "kafka.version"])
            expect(table).to.include(`| \`${key}\` |`);
        expect(table).to.include("| `defaults.replicas` | number | `1` |");
    });
});
