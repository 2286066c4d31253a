// Test program of test/e2e/soak.test.ts: looks up every job ARN of the `jobArns` config (a JSON
// list) at once and exports what each lookup answered, by ARN.
const pulumi = require("@pulumi/pulumi");
const braket = require("pulumi-braket");

const jobArns = new pulumi.Config().requireObject("jobArns");
exports.answers = pulumi
    .all(
        jobArns.map((jobArn) =>
            braket.getHybridJobOutput({ jobArn }).apply((j) => [jobArn, { jobArn: j.jobArn, jobName: j.jobName, status: j.status }]),
        ),
    )
    .apply(Object.fromEntries);
