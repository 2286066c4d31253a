"""The generated Python SDK (pulumi_braket) under Pulumi's mocks, as a user's unit tests meet it.

Run with ``provider/scripts/test-sdk.sh python`` (makes a venv under .tools/, installs
``./sdk/python``, pytest and the pinned ``pulumi``), or in any venv that has them:
``python -m pytest sdk/python/tests``.

No plugin runs under mocks: what reaches ``Mocks.call`` / ``Mocks.new_resource`` and what comes
back from them is the SDK's and Pulumi's doing alone. In particular nothing is derived: a mock that
returns a bare GetJob response gives a result without ``results_s3_uri``, ``output_s3_bucket``,
``region``... (the TypeScript package has ``pulumi-braket/testing`` to compute those; Python has no
such helper, so the mocks below spell out what the plugin would answer).
"""

import asyncio
from typing import Any, Callable, Optional

import pulumi
import pytest

import pulumi_braket as braket

TOKEN = "braket:index:getHybridJob"
LIST_TOKEN = "braket:index:getHybridJobs"
GATE_TYPE = "braket:index:HybridJobCompletion"
PROVIDER_TYPE = "pulumi:providers:braket"
ARN = "arn:aws:braket:us-east-1:123456789012:job/4b0c6f8e-2d1a-4f4e-8c7b-9a5d3e2f1c0b"
FAILED = (
    f"Hybrid job vqe-h2 ({ARN}) ended FAILED: AlgorithmError: RuntimeError: loss became NaN "
    "at epoch 3, exit code: 1."
)


def mocked_job(job_arn: str) -> dict:
    """What a user's mock starts from: a GetJob response as the API has it (camelCase, ISO timestamps)."""
    return {
        "status": "COMPLETED",
        "jobArn": job_arn,
        "roleArn": "arn:aws:iam::123456789012:role/BraketJobs",
        "jobName": "vqe-h2",
        "outputDataConfig": {"s3Path": "s3://results/vqe-h2"},
        "algorithmSpecification": {
            "containerImage": {"uri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/vqe:latest"}
        },
        "instanceConfig": {"instanceType": "ml.m5.large", "volumeSizeInGb": 30},
        "createdAt": "2026-11-29T08:00:00Z",
        # A camelCase map key, to check that map keys are not snake_cased like property names.
        "hyperParameters": {"shots": "100", "learningRate": "0.1"},
    }


def plugin_result(job_arn: str) -> dict:
    """What the plugin answers for mocked_job (its derived fields written out by hand)."""
    return {
        **mocked_job(job_arn),
        "createdAt": "2026-11-29T08:00:00.000Z",
        "outputS3Path": "s3://results/vqe-h2",
        "outputS3Bucket": "results",
        "outputS3KeyPrefix": "vqe-h2",
        "resultsS3Uri": "s3://results/vqe-h2/output/model.tar.gz",
        "resultsS3Key": "vqe-h2/output/model.tar.gz",
        "partition": "aws",
        "region": "us-east-1",
        "accountId": "123456789012",
        "isTerminal": True,
    }


SV1 = "arn:aws:braket:::device/quantum-simulator/amazon/sv1"
FORTE = "arn:aws:braket:us-east-1::device/qpu/ionq/Forte-1"
NEWEST = "arn:aws:braket:us-east-1:123456789012:job/00000000-0000-4000-8000-0000000000a2"
OLDER = "arn:aws:braket:us-east-1:123456789012:job/00000000-0000-4000-8000-0000000000b2"
OLDEST = "arn:aws:braket:us-east-1:123456789012:job/00000000-0000-4000-8000-000000000001"


def plugin_list() -> dict:
    """What the plugin answers for getHybridJobs (camelCase, ISO timestamps, newest first then by ARN):
    3 jobs matched, the cap (maxResults 2) kept the newest 2."""
    return {
        "jobs": [
            {
                "jobArn": NEWEST,
                "jobName": "nightly-train",
                "status": "COMPLETED",
                "device": SV1,
                "createdAt": "2026-11-28T02:00:00.000Z",
                "startedAt": "2026-11-28T02:01:00.000Z",
                "endedAt": "2026-11-28T03:00:00.000Z",
                # A camelCase map key: data, not a property name.
                "tags": {"team": "qaoa", "costCenter": "q1"},
            },
            {
                "jobArn": OLDER,
                "jobName": "nightly-train",
                "status": "FAILED",
                "device": SV1,
                "createdAt": "2026-11-28T02:00:00.000Z",
            },
        ],
        "jobArns": [NEWEST, OLDER],
        "matchCount": 3,
        "truncated": True,
        "region": "us-east-1",
    }


class Bucket(pulumi.CustomResource):
    """A stand-in for any other resource of the program (an S3 bucket, a Lambda...)."""

    def __init__(self, name: str, props: Optional[dict] = None, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__("test:index:Bucket", name, props or {}, opts)


class RecordingMocks(pulumi.runtime.Mocks):
    """Records what reaches the mocks. ``call`` answers lookups (default: the raw GetJob response);
    ``state`` gives a resource's extra state over its inputs (raise to fail its creation)."""

    def __init__(
        self,
        preview: bool = False,
        call: Optional[Callable[[pulumi.runtime.MockCallArgs], dict]] = None,
        state: Optional[Callable[[pulumi.runtime.MockResourceArgs], Optional[dict]]] = None,
    ):
        self.preview = preview
        self._call = call
        self._state = state
        self.calls: list[pulumi.runtime.MockCallArgs] = []
        self.resources: list[pulumi.runtime.MockResourceArgs] = []
        self.log: list[str] = []

    def call(self, args: pulumi.runtime.MockCallArgs):
        self.calls.append(args)
        self.log.append(f"call {args.token}")
        return self._call(args) if self._call else mocked_job(args.args["jobArn"])

    def new_resource(self, args: pulumi.runtime.MockResourceArgs):
        self.resources.append(args)
        extra = self._state(args) if self._state else None
        self.log.append(f"created {args.typ} {args.name}")
        return (None if self.preview else f"{args.name}-id", {**args.inputs, **(extra or {})})


def use_mocks(**kwargs: Any) -> RecordingMocks:
    mocks = RecordingMocks(**kwargs)
    pulumi.runtime.set_mocks(mocks, project="proj", stack="stack", preview=mocks.preview)
    return mocks


@pytest.fixture(autouse=True)
def _fresh_config():
    # Config set with set_all_config stays for the tests after: no test sees another's config.
    pulumi.runtime.set_all_config({})
    yield
    pulumi.runtime.set_all_config({})


def details(output: pulumi.Output) -> "asyncio.Future[tuple[Any, bool, bool]]":
    """(value, is_known, is_secret) of an Output, to await inside a @pulumi.runtime.test."""

    async def get():
        return (await output.future(), await output.is_known(), await output.is_secret())

    return asyncio.ensure_future(get())


# --- get_hybrid_job / get_hybrid_job_output ------------------------------------------------------


@pulumi.runtime.test
def test_output_form_sends_token_and_camel_case_args_to_the_default_provider():
    m = use_mocks()
    job = braket.get_hybrid_job_output(
        job_arn=ARN, additional_attribute_names=[braket.HybridJobAdditionalAttributeName.QUEUEINFO]
    )

    async def check():
        value, known, secret = await details(job)
        assert (known, secret) == (True, False)
        assert len(m.calls) == 1
        assert m.calls[0].token == TOKEN
        # snake_case in Python, camelCase on the wire; arguments left as None are not sent.
        assert m.calls[0].args == {"jobArn": ARN, "additionalAttributeNames": ["QueueInfo"]}
        # No provider option: the default provider, which the mock monitor names "".
        assert m.calls[0].provider == ""
        assert isinstance(value, braket.GetHybridJobResult)
        # The camelCase result becomes snake_case attributes, nested types included.
        assert value.status == "COMPLETED"
        assert value.job_arn == ARN
        assert value.output_data_config.s3_path == "s3://results/vqe-h2"
        assert value.algorithm_specification.container_image.uri.endswith("/vqe:latest")
        assert value.instance_config.volume_size_in_gb == 30
        # Map keys are data, kept as they are.
        assert value.hyper_parameters == {"shots": "100", "learningRate": "0.1"}
        # Exactly what the mock returned: nothing derived, nothing reformatted.
        assert value.results_s3_uri is None
        assert value.created_at == "2026-11-29T08:00:00Z"

    return check()


@pulumi.runtime.test
def test_plain_form_returns_the_result_at_once():
    m = use_mocks()
    # The plain form blocks on the call and returns the (awaitable) result itself, not an Output.
    job = braket.get_hybrid_job(job_arn=ARN, region="us-east-1", profile="ci", endpoint="http://127.0.0.1:1")
    assert isinstance(job, braket.AwaitableGetHybridJobResult)
    assert [(c.token, c.args) for c in m.calls] == [
        (TOKEN, {"jobArn": ARN, "region": "us-east-1", "profile": "ci", "endpoint": "http://127.0.0.1:1"})
    ]
    assert job.job_name == "vqe-h2"
    assert job.hyper_parameters["learningRate"] == "0.1"


@pulumi.runtime.test
def test_partial_mock_result_is_returned_as_is_and_the_sdk_checks_nothing():
    m = use_mocks(call=lambda args: {"status": "RUNNING"})
    # A malformed ARN reaches the mock: the plugin checks it, and no plugin runs under mocks.
    job = braket.get_hybrid_job(job_arn="not-an-arn")
    assert job.status == "RUNNING"
    assert job.job_arn is None and job.output_data_config is None and job.is_terminal is None
    out = braket.get_hybrid_job_output(job_arn="not-an-arn")

    async def check():
        value, known, _ = await details(out)
        assert known
        assert value.status == "RUNNING" and value.results_s3_uri is None
        assert [c.args for c in m.calls] == [{"jobArn": "not-an-arn"}, {"jobArn": "not-an-arn"}]

    return check()


@pulumi.runtime.test
def test_members_the_schema_does_not_declare_are_dropped_and_enums_are_str_enums():
    use_mocks(
        call=lambda args: {"status": "RUNNING", "futureMember": "x", "outputDataConfig": {"s3Path": "s3://a/b", "newNested": 1}}
    )
    job = braket.get_hybrid_job(job_arn=ARN)
    assert not hasattr(job, "future_member") and not hasattr(job, "futureMember")
    assert dict(job.output_data_config) == {"s3_path": "s3://a/b"}
    # Enum-typed outputs come back as the generated str enums, equal to the API's strings.
    assert job.status is braket.HybridJobStatus.RUNNING and job.status == "RUNNING"


def test_a_mock_result_of_the_wrong_type_fails_the_lookup():
    # The generated result class checks the types of what it is given.
    use_mocks(call=lambda args: {"status": "COMPLETED", "jobName": 42})

    @pulumi.runtime.test
    def program():
        braket.get_hybrid_job(job_arn=ARN)

    with pytest.raises(TypeError, match="Expected argument 'job_name' to be a str"):
        program()


@pulumi.runtime.test
def test_the_plugins_answer_gives_every_derived_field():
    use_mocks(call=lambda args: plugin_result(args.args["jobArn"]))
    job = braket.get_hybrid_job(job_arn=ARN)
    assert job.created_at == "2026-11-29T08:00:00.000Z"
    assert (job.output_s3_path, job.output_s3_bucket, job.output_s3_key_prefix) == (
        "s3://results/vqe-h2",
        "results",
        "vqe-h2",
    )
    assert job.results_s3_uri == "s3://results/vqe-h2/output/model.tar.gz"
    assert job.results_s3_key == "vqe-h2/output/model.tar.gz"
    assert (job.partition, job.region, job.account_id, job.is_terminal) == ("aws", "us-east-1", "123456789012", True)
    assert job.checkpoint_s3_uri is None


@pulumi.runtime.test
def test_no_call_and_an_unknown_result_while_job_arn_is_unknown_in_a_preview():
    m = use_mocks(preview=True)
    # In a preview the mock gives no id, so the bucket's id (and the ARN made from it) is unknown.
    source = Bucket("source")
    job = braket.get_hybrid_job_output(job_arn=source.id.apply(lambda _: ARN))

    async def check():
        _, known, _ = await details(job.results_s3_uri)
        assert known is False
        assert m.calls == []

    return check()


@pulumi.runtime.test
def test_a_secret_input_gives_a_secret_result_and_the_mock_the_plain_value():
    m = use_mocks(call=lambda args: plugin_result(args.args["jobArn"]))
    job = braket.get_hybrid_job_output(job_arn=pulumi.Output.secret(ARN))

    async def check():
        value, known, secret = await details(job.output_s3_path)
        assert (value, known, secret) == ("s3://results/vqe-h2", True, True)
        assert [c.args for c in m.calls] == [{"jobArn": ARN}]
        # A plain input gives a plain result.
        _, _, plain = await details(braket.get_hybrid_job_output(job_arn=ARN).output_s3_path)
        assert plain is False

    return check()


@pulumi.runtime.test
def test_calls_only_once_a_depends_on_resource_has_been_created():
    m = use_mocks()
    data = Bucket("data")
    job = braket.get_hybrid_job_output(job_arn=ARN, opts=pulumi.InvokeOutputOptions(depends_on=[data]))

    async def check():
        await details(job)
        assert m.log == ["created test:index:Bucket data", f"call {TOKEN}"]

    return check()


@pulumi.runtime.test
def test_unknown_and_no_call_while_a_depends_on_resource_is_being_created_in_a_preview():
    m = use_mocks(preview=True)
    creating = Bucket("creating")
    job = braket.get_hybrid_job_output(job_arn=ARN, opts=pulumi.InvokeOutputOptions(depends_on=[creating]))

    async def check():
        _, known, _ = await details(job)
        assert known is False
        assert m.calls == []

    return check()


@pulumi.runtime.test
def test_every_lookup_is_a_call_under_mocks():
    # The plugin shares identical lookups in flight; no plugin runs under mocks.
    m = use_mocks()
    a = braket.get_hybrid_job_output(job_arn=ARN)
    b = braket.get_hybrid_job_output(job_arn=ARN)
    braket.get_hybrid_job(job_arn=ARN)

    async def check():
        await asyncio.gather(a.future(), b.future())
        assert [c.args for c in m.calls] == [{"jobArn": ARN}] * 3

    return check()


def test_a_lookup_the_mock_refuses_fails_as_under_the_engine_and_can_be_caught():
    # A mock that answers as a failing plugin does: (result, [(property, reason)]). The plain form
    # raises "invoke of <token> failed: <reason> (<property>)", which the program may catch, as it
    # may catch a failed lookup under the real engine.
    no_such_job = f"GetJob for {ARN} in region us-east-1 failed: no such job."
    use_mocks(call=lambda args: ({}, [("jobArn", no_such_job)]))
    caught = []

    @pulumi.runtime.test
    def program():
        try:
            braket.get_hybrid_job(job_arn=ARN)
        except Exception as err:  # noqa: BLE001
            caught.append(str(err))

    program()
    assert caught == [f"invoke of {TOKEN} failed: {no_such_job} (jobArn)"]

    # The Output form's failure fails the program that uses the output.
    use_mocks(call=lambda args: ({}, [("jobArn", no_such_job)]))

    @pulumi.runtime.test
    def output_program():
        return braket.get_hybrid_job_output(job_arn=ARN).status

    with pytest.raises(Exception, match="failed: no such job"):
        output_program()


def test_a_mock_that_raises_fails_the_program_even_when_the_program_catches_it():
    # Unlike a refusal, an exception raised in the mock is a crash of the mock monitor: the plain
    # form raises it in the program, and the Python SDK also keeps it as an unhandled RPC error,
    # so the program (here the test decorator) fails with it all the same. (Under the real engine a
    # failed lookup is a refusal, which the program can catch: raise in a mock only for a lookup
    # that must fail the program.)
    def fail(args):
        raise Exception(f"GetJob for {ARN} in region us-east-1 failed: no such job.")

    use_mocks(call=fail)
    caught = []

    @pulumi.runtime.test
    def program():
        try:
            braket.get_hybrid_job(job_arn=ARN)
        except Exception as err:  # noqa: BLE001
            caught.append(str(err))

    with pytest.raises(Exception, match="failed: no such job"):
        program()
    assert caught == [f"GetJob for {ARN} in region us-east-1 failed: no such job."]


def test_arguments_are_keyword_only_in_practice():
    # The generator orders the parameters alphabetically and makes them all optional, so a
    # positional ARN would land in additional_attribute_names, and a positional job name in
    # get_hybrid_jobs's created_after: pass job_arn= and job_name= by name.
    import inspect

    params = list(inspect.signature(braket.get_hybrid_job).parameters)
    assert params[:6] == ["additional_attribute_names", "created_after", "created_before", "device", "endpoint", "job_arn"]
    assert params[-1] == "opts"
    assert "opts" in inspect.signature(braket.get_hybrid_job_output).parameters
    list_params = list(inspect.signature(braket.get_hybrid_jobs).parameters)
    assert list_params[0] == "created_after"
    assert list_params == list(inspect.signature(braket.get_hybrid_jobs_output).parameters)
    assert set(list_params) == {
        "created_after", "created_at", "created_before", "device", "endpoint", "job_name",
        "max_results", "profile", "region", "statuses", "opts",
    }


# --- get_hybrid_jobs / get_hybrid_jobs_output ----------------------------------------------------


@pulumi.runtime.test
def test_list_output_form_sends_every_filter_camel_case_and_gives_typed_summaries():
    m = use_mocks(call=lambda args: plugin_list())
    jobs = braket.get_hybrid_jobs_output(
        job_name="nightly-train",
        statuses=[braket.HybridJobStatus.COMPLETED, "FAILED"],
        device=SV1,
        created_after="2026-11-01",
        created_before=pulumi.Output.from_input("2026-12-01T00:00:00Z"),
        created_at=braket.HybridJobCreatedAtFilter(
            operator=braket.HybridJobCreatedAtOperator.BETWEEN,
            values=["2026-11-01T00:00:00Z", "2026-11-30T00:00:00Z"],
        ),
        max_results=2,
        region="us-east-1",
    )

    async def check():
        value, known, secret = await details(jobs)
        assert (known, secret) == (True, False)
        assert [(c.token, c.provider) for c in m.calls] == [(LIST_TOKEN, "")]
        # snake_case in Python, camelCase on the wire (the created_at object's members too).
        assert m.calls[0].args == {
            "jobName": "nightly-train",
            "statuses": ["COMPLETED", "FAILED"],
            "device": SV1,
            "createdAfter": "2026-11-01",
            "createdBefore": "2026-12-01T00:00:00Z",
            "createdAt": {"operator": "BETWEEN", "values": ["2026-11-01T00:00:00Z", "2026-11-30T00:00:00Z"]},
            "maxResults": 2,
            "region": "us-east-1",
        }
        assert isinstance(value, braket.GetHybridJobsResult)
        assert value.job_arns == [NEWEST, OLDER]
        assert (value.match_count, value.truncated, value.region) == (3, True, "us-east-1")
        # A whole number, though it crossed the wire as a protobuf double.
        assert type(value.match_count) is int
        first, second = value.jobs
        assert isinstance(first, braket.outputs.HybridJobSummary)
        assert (first.job_arn, first.job_name, first.device) == (NEWEST, "nightly-train", SV1)
        assert (first.created_at, first.started_at, first.ended_at) == (
            "2026-11-28T02:00:00.000Z",
            "2026-11-28T02:01:00.000Z",
            "2026-11-28T03:00:00.000Z",
        )
        assert first.status is braket.HybridJobStatus.COMPLETED
        # Map keys are data, kept as they are.
        assert first.tags == {"team": "qaoa", "costCenter": "q1"}
        # Members the answer left out are None.
        assert (second.started_at, second.ended_at, second.tags) == (None, None, None)
        # The lifted accessors of the Output give the same.
        assert await jobs.job_arns.future() == [NEWEST, OLDER]
        assert await jobs.match_count.future() == 3

    return check()


@pulumi.runtime.test
def test_list_plain_form_sends_only_the_arguments_given_a_dict_created_at_too():
    m = use_mocks(call=lambda args: plugin_list())
    result = braket.get_hybrid_jobs(
        job_name="nightly-train", created_at={"operator": "GTE", "values": ["2026-11-28"]}, max_results=10000
    )
    empty = braket.get_hybrid_jobs()
    assert isinstance(result, braket.AwaitableGetHybridJobsResult)
    assert [(c.token, c.args) for c in m.calls] == [
        (LIST_TOKEN, {"jobName": "nightly-train", "createdAt": {"operator": "GTE", "values": ["2026-11-28"]}, "maxResults": 10000}),
        (LIST_TOKEN, {}),
    ]
    # What the mock returned, whatever was asked: no plugin filters under mocks.
    assert result.job_arns == empty.job_arns == [NEWEST, OLDER]
    assert result.jobs[1].status == "FAILED"


@pulumi.runtime.test
def test_a_list_fans_out_its_newest_arn_into_a_lookup_and_a_gate():
    def call(args):
        if args.token == LIST_TOKEN:
            return plugin_list()
        return plugin_result(args.args["jobArn"])

    m = use_mocks(call=call, state=lambda args: plugin_result(args.inputs["jobArn"]) if args.typ == GATE_TYPE else None)
    newest = braket.get_hybrid_jobs_output(job_name="nightly-train", statuses=["COMPLETED"]).job_arns.apply(lambda arns: arns[0])
    job = braket.get_hybrid_job_output(job_arn=newest)
    gate = braket.HybridJobCompletion("newest", job_arn=newest)

    async def check():
        assert await job.job_arn.future() == NEWEST
        assert await gate.job_arn.future() == NEWEST
        assert m.log[0] == f"call {LIST_TOKEN}"
        assert [(c.token, c.args) for c in m.calls] == [
            (LIST_TOKEN, {"jobName": "nightly-train", "statuses": ["COMPLETED"]}),
            (TOKEN, {"jobArn": NEWEST}),
        ]
        assert [(r.typ, r.inputs) for r in m.resources] == [(GATE_TYPE, {"jobArn": NEWEST})]

    return check()


@pulumi.runtime.test
def test_no_list_call_and_an_unknown_list_while_a_filter_is_unknown_in_a_preview():
    m = use_mocks(preview=True)
    source = Bucket("source")
    jobs = braket.get_hybrid_jobs_output(job_name=source.id.apply(lambda _: "nightly-train"))

    async def check():
        _, known, _ = await details(jobs.job_arns)
        assert known is False
        assert m.calls == []

    return check()


# --- name lookups: job_name instead of job_arn --------------------------------------------------


@pulumi.runtime.test
def test_get_hybrid_job_by_name_sends_exactly_the_name_the_statuses_and_most_recent():
    m = use_mocks(call=lambda args: {**plugin_result(NEWEST), "jobName": args.args["jobName"]})
    job = braket.get_hybrid_job(job_name="nightly-train", statuses=[braket.HybridJobStatus.COMPLETED], most_recent=True)
    assert [(c.token, c.args) for c in m.calls] == [
        (TOKEN, {"jobName": "nightly-train", "statuses": ["COMPLETED"], "mostRecent": True})
    ]
    assert "jobArn" not in m.calls[0].args
    assert (job.job_arn, job.job_name) == (NEWEST, "nightly-train")
    assert job.results_s3_uri == "s3://results/vqe-h2/output/model.tar.gz"


@pulumi.runtime.test
def test_get_hybrid_job_output_by_name_sends_the_time_window_the_device_and_most_recent_false():
    m = use_mocks(call=lambda args: plugin_result(NEWEST))
    job = braket.get_hybrid_job_output(
        job_name="nightly-train",
        created_after="2026-11-28T12:00:00+01:00",
        created_before=pulumi.Output.from_input("2026-11-30"),
        device=SV1,
        most_recent=False,
        region="us-east-1",
    )

    async def check():
        assert await job.job_arn.future() == NEWEST
        assert [c.args for c in m.calls] == [
            {
                "jobName": "nightly-train",
                "createdAfter": "2026-11-28T12:00:00+01:00",
                "createdBefore": "2026-11-30",
                "device": SV1,
                # False is a value: sent, not dropped as None is.
                "mostRecent": False,
                "region": "us-east-1",
            }
        ]

    return check()


@pulumi.runtime.test
def test_the_gate_by_name_registers_those_inputs_and_its_job_arn_is_the_job_found():
    def state(args):
        # What the plugin does at create: finds the job, and records its ARN in the outputs.
        if args.typ == GATE_TYPE:
            return {**plugin_result(NEWEST), "jobName": args.inputs["jobName"]}
        return None

    m = use_mocks(state=state)
    gate = braket.HybridJobCompletion(
        "nightly", job_name="nightly-train", statuses=["COMPLETED", "FAILED"], most_recent=True, timeout_seconds=600
    )

    async def check():
        assert await gate.job_arn.future() == NEWEST
        assert await gate.job_name.future() == "nightly-train"
        assert await gate.results_s3_uri.future() == "s3://results/vqe-h2/output/model.tar.gz"
        assert [(r.typ, r.name, r.inputs) for r in m.resources] == [
            (
                GATE_TYPE,
                "nightly",
                {"jobName": "nightly-train", "statuses": ["COMPLETED", "FAILED"], "mostRecent": True, "timeoutSeconds": 600},
            )
        ]

    return check()


# --- braket.Provider and stack config -------------------------------------------------------------


@pulumi.runtime.test
def test_an_explicit_provider_is_registered_and_named_by_lookups_and_gates():
    m = use_mocks()
    eu = braket.Provider("eu", region="eu-north-1", profile="ci", max_retries=5, retry_mode="adaptive")
    plain = braket.get_hybrid_job(job_arn=ARN, opts=pulumi.InvokeOptions(provider=eu))
    out = braket.get_hybrid_job_output(job_arn=ARN, opts=pulumi.InvokeOptions(provider=eu))
    out2 = braket.get_hybrid_job_output(job_arn=ARN, opts=pulumi.InvokeOutputOptions(provider=eu))
    gate = braket.HybridJobCompletion("training", job_arn=ARN, opts=pulumi.ResourceOptions(provider=eu))
    assert plain.job_name == "vqe-h2"

    async def check():
        await asyncio.gather(out.future(), out2.future(), gate.urn.future())
        registered = next(r for r in m.resources if r.typ == PROVIDER_TYPE)
        assert registered.name == "eu"
        # The generated SDK sends provider settings that are not strings JSON-encoded ("5").
        assert registered.inputs == {"region": "eu-north-1", "profile": "ci", "maxRetries": "5", "retryMode": "adaptive"}
        # The provider reference is `<urn>::<id>`. (Python's mock monitor makes URNs in a thread
        # that does not see set_mocks' project and stack, so they read `stack::project`; and the
        # resources of a Python program are children of its Stack.)
        urn = await eu.urn.future()
        assert urn.endswith("::pulumi:pulumi:Stack$pulumi:providers:braket::eu")
        reference = f"{urn}::{await eu.id.future()}"
        assert reference.endswith("::eu::eu-id")
        assert [c.provider for c in m.calls] == [reference] * 3
        gate_registration = next(r for r in m.resources if r.typ == GATE_TYPE)
        assert gate_registration.provider == reference

    return check()


@pulumi.runtime.test
def test_stack_config_reaches_braket_config_but_not_the_mocks_thread():
    seen_by_mock = []

    def call(args):
        # Python runs the mocks in a worker thread, where the program's config (a ContextVar) is
        # not set: a mock that stands in for the default provider must be handed the config.
        seen_by_mock.append(pulumi.Config("braket").get("region"))
        return plugin_result(args.args["jobArn"])

    m = use_mocks(call=call)
    # Keys are <namespace>:<key>: `braket:` for the provider, the project's name for the
    # program's own config. Values are strings.
    pulumi.runtime.set_all_config({"braket:region": "eu-north-1", "braket:maxRetries": "5", "proj:jobArn": ARN})
    assert braket.config.region == "eu-north-1"
    assert braket.config.max_retries == 5
    assert braket.config.profile is None

    job_arn = pulumi.Config().require("jobArn")
    braket.get_hybrid_job(job_arn=job_arn)
    braket.get_hybrid_job(job_arn=job_arn, region=braket.config.region)
    assert seen_by_mock == [None, None]
    # The default provider is not registered under mocks, and the calls name none.
    assert [(c.args, c.provider) for c in m.calls] == [
        ({"jobArn": ARN}, ""),
        ({"jobArn": ARN, "region": "eu-north-1"}, ""),
    ]
    assert m.resources == []


# --- HybridJobCompletion ------------------------------------------------------------------------


@pulumi.runtime.test
def test_the_gate_registers_with_its_type_and_inputs_and_has_the_state_new_resource_returns():
    def state(args):
        if args.typ == GATE_TYPE and args.name == "training":
            return plugin_result(args.inputs["jobArn"])
        return None

    m = use_mocks(state=state)
    gate = braket.HybridJobCompletion(
        "training",
        job_arn=ARN,
        timeout_seconds=600,
        success_statuses=[braket.HybridJobTerminalStatus.COMPLETED, "CANCELLED"],
    )
    # A gate whose mock returns only its inputs has none of the job's outputs: nothing is derived.
    bare = braket.HybridJobCompletion("bare", job_arn=ARN)

    async def check():
        # Both registrations are under way at once: wait for both before looking at the mocks.
        await asyncio.gather(gate.urn.future(), bare.urn.future())
        assert await gate.results_s3_uri.future() == "s3://results/vqe-h2/output/model.tar.gz"
        assert await gate.status.future() == "COMPLETED"
        assert await gate.region.future() == "us-east-1"
        assert await gate.output_data_config.s3_path.future() == "s3://results/vqe-h2"
        assert await gate.hyper_parameters.future() == {"shots": "100", "learningRate": "0.1"}
        assert await gate.id.future() == "training-id"
        assert sorted((r.name, r.typ, r.custom, r.inputs) for r in m.resources) == [
            ("bare", GATE_TYPE, True, {"jobArn": ARN}),
            ("training", GATE_TYPE, True, {"jobArn": ARN, "timeoutSeconds": 600, "successStatuses": ["COMPLETED", "CANCELLED"]}),
        ]
        assert await bare.job_arn.future() == ARN
        assert await bare.results_s3_uri.future() is None

    return check()


@pulumi.runtime.test
def test_the_gate_requires_neither_job_arn_nor_job_name_the_plugin_checks():
    # job_arn or job_name, exactly one: the plugin's check refuses neither or both; no plugin
    # runs under mocks, so a gate without either registers.
    m = use_mocks()
    gate = braket.HybridJobCompletion("training")

    async def check():
        await gate.urn.future()
        assert [(r.typ, r.inputs) for r in m.resources] == [(GATE_TYPE, {})]

    return check()


def test_a_gate_on_a_failed_job_fails_the_program_and_nothing_gated_is_created():
    def state(args):
        # What the plugin does for a job that ended FAILED: the gate's creation fails.
        if args.typ == GATE_TYPE:
            raise Exception(FAILED)
        return None

    m = use_mocks(state=state)

    @pulumi.runtime.test
    def program():
        gate = braket.HybridJobCompletion("training", job_arn=ARN)
        model = Bucket("model", {"source": gate.results_s3_uri}, pulumi.ResourceOptions(depends_on=[gate]))
        return pulumi.Output.all(gate.results_s3_uri, model.urn)

    with pytest.raises(Exception, match=r"ended FAILED: AlgorithmError"):
        program()
    # The gate was asked for, and nothing that depends on it was created.
    assert [r.typ for r in m.resources] == [GATE_TYPE]
