"""Test program of test/e2e/languages.test.ts: a job ARN from a config secret, read and gated on."""
import pulumi

import pulumi_braket as braket

job_arn = pulumi.Config().require_secret("jobArn")
job = braket.get_hybrid_job_output(job_arn=job_arn)
gate = braket.HybridJobCompletion("gate", job_arn=job_arn, initial_interval_seconds=1, max_interval_seconds=2, timeout_seconds=120)
pulumi.export("statusWhenRead", job.status)
pulumi.export("finishedStatus", gate.status)
