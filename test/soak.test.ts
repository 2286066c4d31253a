/**
 * The fault soak, short form (the long form is `npm run soak`): 150 lookups (50 in flight at once)
 * and 5 waits of a program in a child process, against the local endpoint injecting 30%
 * throttling, 10% 5xx, 5% dropped connections and 5% slow answers. Same checks as the long form
 * (test/bench/soak.ts): every lookup gives the right answer. Typically 10 to 40 s (median about
 * 20 s): the time is that of the unluckiest lookup, and one throttled six times in a row spends up
 * to 50 s in the AWS SDK's backoff (1 s × 2^n, at most 20 s a retry), hence a budget of 120 s.
 */
import { strict as assert } from "node:assert";
import { renderSoak, runSoak, type SoakReport } from "./bench/soak";

describe("fault soak, short form (30% throttling, 10% 5xx, 5% drops, 5% slow)", function () {
    this.timeout(180_000);
    let report: SoakReport;

    before(async () => {
        report = await runSoak({ lookups: 150, waits: 5, batch: 50, seed: 3, budgetMs: 120_000 });
        if (process.env.SOAK_VERBOSE) process.stderr.write(`${renderSoak(report)}\n`);
    });

    it("passes every check of the soak", () => {
        assert.deepEqual(report.problems, [], renderSoak(report));
    });

    it("gives every lookup the right answer: the endpoint's data, or not found for a job that does not exist", () => {
        assert.equal(report.lookups.total, 150);
        assert.equal(report.lookups.rightAnswers, 150, renderSoak(report));
        assert.equal(report.lookups.rightData, 150 - report.lookups.missingJobLookups);
        assert.deepEqual(Object.keys(report.lookups.errorsByClass), ["HybridJobNotFoundError"]);
        assert.equal(report.lookups.errorsByClass.HybridJobNotFoundError, report.lookups.missingJobLookups);
        assert.equal(report.lookups.clearErrors, report.lookups.missingJobLookups, "every error names the ARN and the region");
    });

    it("ends every wait with the right status, or the planned timeout", () => {
        assert.equal(report.waits.total, 5);
        assert.equal(report.waits.right, 5, JSON.stringify(report.waits.outcomes));
        assert.equal(report.waits.outcomes.HybridJobWaitTimeoutError, 1);
    });

    it("injected every kind of fault, and the library retried", () => {
        for (const kind of ["throttle", "serverError", "drop", "slow"]) assert.ok(report.faultsInjected[kind] > 0, kind);
        assert.ok(report.requests.retries > 0);
    });

    it("leaves no unhandled rejection, no late request, no timer or socket that keeps the program alive", () => {
        assert.equal(report.unhandledRejections, 0);
        assert.equal(report.afterDeadline.requests, 0);
        assert.equal(report.afterLookupSettled, 0);
        assert.equal(report.afterProgramFinished, 0);
        assert.equal(report.exit.code, 0);
        assert.ok(report.exit.exitedByItselfMs !== null && report.exit.exitedByItselfMs <= 5000, String(report.exit.exitedByItselfMs));
        assert.ok(!report.exit.activeResourcesAtEnd.includes("Timeout"), report.exit.activeResourcesAtEnd.join(", "));
        assert.equal(report.credentialLeaks, 0);
    });

    it("stays within its time budget", () => {
        assert.ok(report.workMs < 120_000, `${report.workMs} ms`);
        assert.ok(report.totalMs < 130_000, `${report.totalMs} ms`);
    });
});
