"""python-gate: read an Amazon Braket hybrid job and gate a deployment on its completion.

The lookups and the gate run in the braket provider plugin (pulumi-resource-braket), which reads
the job in the region of its ARN (unless the stack sets braket:region), with the braket provider's
stack config (braket:profile, braket:endpoint) or else the AWS SDK's usual environment
(AWS_PROFILE, AWS_ENDPOINT_URL_BRAKET, ...).
"""

import pulumi

import pulumi_braket as braket

config = pulumi.Config()
job_arn = config.require("jobArn")
timeout_seconds = config.get_int("timeoutSeconds") or 6 * 3600

# 1. The Output form: takes Inputs, gives an Output, ready to export or to pass to resources. Every
#    field of GetJob is there (snake_case), plus conveniences: results_s3_uri is
#    <output_s3_path>/output/model.tar.gz. Pass arguments by name: the generated functions take
#    them in alphabetical order, so a positional ARN would not be the job_arn.
job = braket.get_hybrid_job_output(job_arn=job_arn)

pulumi.export("jobName", job.job_name)
pulumi.export("statusWhenRead", job.status)
pulumi.export("outputS3Path", job.output_s3_path)
pulumi.export("resultsS3Uri", job.results_s3_uri)
pulumi.export("resultsS3Key", job.results_s3_key)
# None when the job has no checkpoint configuration.
pulumi.export("checkpointS3Uri", job.checkpoint_s3_uri)
pulumi.export("hyperParameters", job.hyper_parameters.apply(lambda h: h or {}))

# 2. The plain form: returns the result itself (the program waits for the request), to decide or
#    to format with plain values. Enum-typed fields are str enums: compare them with strings, and
#    use .value to print them (f"{status}" gives "HybridJobStatus.COMPLETED" on Python >= 3.11).
plain = braket.get_hybrid_job(job_arn=job_arn)
status = plain.status.value if isinstance(plain.status, braket.HybridJobStatus) else plain.status
if plain.status == braket.HybridJobStatus.COMPLETED:
    summary = f"{plain.job_name} COMPLETED at {plain.ended_at or 'an unrecorded time'}; results at {plain.results_s3_uri}"
elif plain.is_terminal:
    summary = f"{plain.job_name} ended {status}: {plain.failure_reason or 'no failure reason given'}"
else:
    summary = f"{plain.job_name} is {status}; its results will be at {plain.results_s3_uri}"
pulumi.export("summary", summary)

# 3. The gate: `pulumi up` waits here until the job is terminal. COMPLETED creates the gate with
#    every field of the finished job as outputs; FAILED or CANCELLED (not in success_statuses), or
#    the timeout, fails the update with the job's name, ARN, status and failureReason, and nothing
#    that depends on the gate is deployed. `pulumi preview` never waits; Ctrl-C stops the wait.
training = braket.HybridJobCompletion(
    "training",
    job_arn=job_arn,
    timeout_seconds=timeout_seconds,
    success_statuses=[braket.HybridJobTerminalStatus.COMPLETED],
)


class ModelServer(pulumi.ComponentResource):
    """A stand-in for what you deploy with the results (a Lambda, an ECS service, an SSM parameter
    with the model's URI...), so that this example needs no other plugin."""

    def __init__(self, name: str, model_uri: pulumi.Input[str], opts: pulumi.ResourceOptions):
        super().__init__("braket-examples:index:ModelServer", name, None, opts)
        self.model_uri = pulumi.Output.from_input(model_uri)
        self.register_outputs({"modelUri": self.model_uri})


# depends_on the gate (and its outputs as inputs): created only once the job COMPLETED.
server = ModelServer("model-server", training.results_s3_uri, pulumi.ResourceOptions(depends_on=[training]))

# The gate's outputs are the job as it finished (a lookup's are the job as it was when read).
pulumi.export("finishedStatus", training.status)
pulumi.export("modelUri", server.model_uri)
pulumi.export("billableDuration", training.billable_duration)
