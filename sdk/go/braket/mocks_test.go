// Hand-written (not generated): the Go SDK under Pulumi's mocks, as a user's unit tests meet it.
// gen-sdk.sh go leaves this file alone (it carries no generated header).
//
//	cd sdk && go test ./go/braket/    (or provider/scripts/test-sdk.sh go)
//
// No plugin runs under mocks: what reaches MockResourceMonitor.Call / NewResource and what comes
// back from them is the SDK's and Pulumi's doing alone. Nothing is derived: a mock that returns a
// bare GetJob response gives a result without ResultsS3Uri, OutputS3Bucket, Region... (the
// TypeScript package has pulumi-braket/testing to compute those; Go has no such helper, so the
// mocks below spell out what the plugin would answer).
package braket_test

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pulumiconfig "github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/internals"

	"github.com/pulumi-braket/pulumi-braket/sdk/go/braket"
	"github.com/pulumi-braket/pulumi-braket/sdk/go/braket/config"
)

const (
	token        = "braket:index:getHybridJob"
	listToken    = "braket:index:getHybridJobs"
	sv1          = "arn:aws:braket:::device/quantum-simulator/amazon/sv1"
	newest       = "arn:aws:braket:us-east-1:123456789012:job/00000000-0000-4000-8000-0000000000a2"
	older        = "arn:aws:braket:us-east-1:123456789012:job/00000000-0000-4000-8000-0000000000b2"
	gateType     = "braket:index:HybridJobCompletion"
	providerType = "pulumi:providers:braket"
	arn          = "arn:aws:braket:us-east-1:123456789012:job/4b0c6f8e-2d1a-4f4e-8c7b-9a5d3e2f1c0b"
	failed       = "Hybrid job vqe-h2 (" + arn + ") ended FAILED: AlgorithmError: RuntimeError: loss became NaN at epoch 3, exit code: 1."
)

// mockedJob is what a user's mock starts from: a GetJob response as the API has it (ISO timestamps).
func mockedJob(jobArn string) map[string]interface{} {
	return map[string]interface{}{
		"status":                 "COMPLETED",
		"jobArn":                 jobArn,
		"roleArn":                "arn:aws:iam::123456789012:role/BraketJobs",
		"jobName":                "vqe-h2",
		"outputDataConfig":       map[string]interface{}{"s3Path": "s3://results/vqe-h2"},
		"algorithmSpecification": map[string]interface{}{"containerImage": map[string]interface{}{"uri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/vqe:latest"}},
		"instanceConfig":         map[string]interface{}{"instanceType": "ml.m5.large", "volumeSizeInGb": 30},
		"createdAt":              "2026-11-29T08:00:00Z",
		"hyperParameters":        map[string]interface{}{"shots": "100", "learningRate": "0.1"},
	}
}

// pluginResult is what the plugin answers for mockedJob (its derived fields written out by hand).
func pluginResult(jobArn string) map[string]interface{} {
	r := mockedJob(jobArn)
	for k, v := range map[string]interface{}{
		"createdAt":         "2026-11-29T08:00:00.000Z",
		"outputS3Path":      "s3://results/vqe-h2",
		"outputS3Bucket":    "results",
		"outputS3KeyPrefix": "vqe-h2",
		"resultsS3Uri":      "s3://results/vqe-h2/output/model.tar.gz",
		"resultsS3Key":      "vqe-h2/output/model.tar.gz",
		"partition":         "aws",
		"region":            "us-east-1",
		"accountId":         "123456789012",
		"isTerminal":        true,
	} {
		r[k] = v
	}
	return r
}

// pluginList is what the plugin answers for getHybridJobs (camelCase, ISO timestamps, newest first
// then by ARN): 3 jobs matched, the cap (maxResults 2) kept the newest 2.
func pluginList() map[string]interface{} {
	return map[string]interface{}{
		"jobs": []interface{}{
			map[string]interface{}{
				"jobArn":    newest,
				"jobName":   "nightly-train",
				"status":    "COMPLETED",
				"device":    sv1,
				"createdAt": "2026-11-28T02:00:00.000Z",
				"startedAt": "2026-11-28T02:01:00.000Z",
				"endedAt":   "2026-11-28T03:00:00.000Z",
				"tags":      map[string]interface{}{"team": "qaoa", "costCenter": "q1"},
			},
			map[string]interface{}{
				"jobArn":    older,
				"jobName":   "nightly-train",
				"status":    "FAILED",
				"device":    sv1,
				"createdAt": "2026-11-28T02:00:00.000Z",
			},
		},
		"jobArns":    []interface{}{newest, older},
		"matchCount": 3,
		"truncated":  true,
		"region":     "us-east-1",
	}
}

// Bucket stands in for any other resource of the program.
type Bucket struct {
	pulumi.CustomResourceState
}

func newBucket(ctx *pulumi.Context, name string, props pulumi.Map, opts ...pulumi.ResourceOption) (*Bucket, error) {
	var b Bucket
	if props == nil {
		props = pulumi.Map{}
	}
	err := ctx.RegisterResource("test:index:Bucket", name, props, &b, opts...)
	return &b, err
}

// mocks records what reaches it. call answers lookups (default: the raw GetJob response); state
// gives a resource's extra state over its inputs (an error fails its creation).
type mocks struct {
	preview bool
	call    func(args pulumi.MockCallArgs) (map[string]interface{}, error)
	state   func(args pulumi.MockResourceArgs) (map[string]interface{}, error)

	mu        sync.Mutex
	calls     []pulumi.MockCallArgs
	resources []pulumi.MockResourceArgs
	log       []string
}

func (m *mocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	m.mu.Lock()
	m.calls = append(m.calls, args)
	m.log = append(m.log, "call "+args.Token)
	m.mu.Unlock()
	if m.call != nil {
		r, err := m.call(args)
		return resource.NewPropertyMapFromMap(r), err
	}
	return resource.NewPropertyMapFromMap(mockedJob(args.Args["jobArn"].StringValue())), nil
}

func (m *mocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	m.mu.Lock()
	m.resources = append(m.resources, args)
	m.mu.Unlock()
	state := args.Inputs.Copy()
	if m.state != nil {
		extra, err := m.state(args)
		if err != nil {
			return "", nil, err
		}
		for k, v := range resource.NewPropertyMapFromMap(extra) {
			state[k] = v
		}
	}
	m.mu.Lock()
	m.log = append(m.log, fmt.Sprintf("created %s %s", args.TypeToken, args.Name))
	m.mu.Unlock()
	if m.preview {
		return "", state, nil
	}
	return args.Name + "-id", state, nil
}

// run runs body as a Pulumi program under m (a preview when m.preview), with the given stack config.
func run(m *mocks, cfg map[string]string, body pulumi.RunFunc) error {
	return pulumi.RunErr(body, pulumi.WithMocks("proj", "stack", m), func(info *pulumi.RunInfo) {
		info.DryRun = m.preview
		info.Config = cfg
	})
}

// await resolves an output inside the program.
func await(t *testing.T, ctx *pulumi.Context, o pulumi.Output) internals.UnsafeAwaitOutputResult {
	t.Helper()
	r, err := internals.UnsafeAwaitOutput(ctx.Context(), o)
	if err != nil {
		t.Fatalf("awaiting output: %v", err)
	}
	return r
}

func equal(t *testing.T, what string, got, want interface{}) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got  %#v\n want %#v", what, got, want)
	}
}

func mustRun(t *testing.T, m *mocks, cfg map[string]string, body pulumi.RunFunc) {
	t.Helper()
	if err := run(m, cfg, body); err != nil {
		t.Fatalf("program failed: %v", err)
	}
}

func callArgs(m *mocks) []map[string]interface{} {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]map[string]interface{}, len(m.calls))
	for i, c := range m.calls {
		out[i] = c.Args.Mappable()
	}
	return out
}

// --- GetHybridJob / GetHybridJobOutput ---------------------------------------------------------

func TestOutputFormSendsTokenAndArgsToTheDefaultProvider(t *testing.T) {
	m := &mocks{}
	mustRun(t, m, nil, func(ctx *pulumi.Context) error {
		job := braket.GetHybridJobOutput(ctx, braket.GetHybridJobOutputArgs{
			JobArn:                   pulumi.String(arn),
			AdditionalAttributeNames: braket.HybridJobAdditionalAttributeNameArray{braket.HybridJobAdditionalAttributeNameQueueinfo},
		})
		r := await(t, ctx, job)
		equal(t, "known, secret", []bool{r.Known, r.Secret}, []bool{true, false})
		v := r.Value.(braket.GetHybridJobResult)
		equal(t, "status", v.Status, braket.HybridJobStatusCompleted)
		equal(t, "s3Path", v.OutputDataConfig.S3Path, "s3://results/vqe-h2")
		equal(t, "image", v.AlgorithmSpecification.ContainerImage.Uri, "123456789012.dkr.ecr.us-east-1.amazonaws.com/vqe:latest")
		equal(t, "volume", v.InstanceConfig.VolumeSizeInGb, 30)
		// Map keys are data, kept as they are.
		equal(t, "hyperParameters", v.HyperParameters, map[string]string{"shots": "100", "learningRate": "0.1"})
		// Exactly what the mock returned: nothing derived (zero values), nothing reformatted.
		equal(t, "resultsS3Uri", v.ResultsS3Uri, "")
		equal(t, "createdAt", v.CreatedAt, "2026-11-29T08:00:00Z")
		// The output accessors give the same.
		equal(t, "jobName()", await(t, ctx, job.JobName()).Value, "vqe-h2")
		return nil
	})
	if len(m.calls) != 1 {
		t.Fatalf("calls: %d", len(m.calls))
	}
	equal(t, "token", m.calls[0].Token, token)
	// Go field names, the schema's camelCase on the wire; nil fields are not sent.
	equal(t, "args", callArgs(m)[0], map[string]interface{}{"jobArn": arn, "additionalAttributeNames": []interface{}{"QueueInfo"}})
	// No provider option: the default provider, which the mock monitor names "".
	equal(t, "provider", m.calls[0].Provider, "")
}

func TestPlainFormReturnsTheResult(t *testing.T) {
	m := &mocks{}
	mustRun(t, m, nil, func(ctx *pulumi.Context) error {
		job, err := braket.GetHybridJob(ctx, &braket.GetHybridJobArgs{
			JobArn:   pulumi.StringRef(arn),
			Region:   pulumi.StringRef("us-east-1"),
			Profile:  pulumi.StringRef("ci"),
			Endpoint: pulumi.StringRef("http://127.0.0.1:1"),
		})
		if err != nil {
			return err
		}
		equal(t, "jobName", job.JobName, "vqe-h2")
		equal(t, "learningRate", job.HyperParameters["learningRate"], "0.1")
		return nil
	})
	equal(t, "token", m.calls[0].Token, token)
	equal(t, "args", callArgs(m), []map[string]interface{}{{"jobArn": arn, "region": "us-east-1", "profile": "ci", "endpoint": "http://127.0.0.1:1"}})
}

func TestPartialMockResultIsReturnedAsIs(t *testing.T) {
	m := &mocks{call: func(pulumi.MockCallArgs) (map[string]interface{}, error) {
		return map[string]interface{}{"status": "RUNNING", "futureMember": "x"}, nil
	}}
	mustRun(t, m, nil, func(ctx *pulumi.Context) error {
		// A malformed ARN reaches the mock: the plugin checks it, and no plugin runs under mocks.
		job, err := braket.GetHybridJob(ctx, &braket.GetHybridJobArgs{JobArn: pulumi.StringRef("not-an-arn")})
		if err != nil {
			return err
		}
		equal(t, "status", job.Status, braket.HybridJobStatusRunning)
		// Members the mock left out are Go zero values, pointers nil.
		equal(t, "jobArn", job.JobArn, "")
		equal(t, "isTerminal", job.IsTerminal, false)
		equal(t, "checkpointConfig", job.CheckpointConfig, (*braket.HybridJobCheckpointConfig)(nil))
		out := await(t, ctx, braket.GetHybridJobOutput(ctx, braket.GetHybridJobOutputArgs{JobArn: pulumi.String("not-an-arn")}))
		equal(t, "output status", out.Value.(braket.GetHybridJobResult).Status, braket.HybridJobStatusRunning)
		return nil
	})
	equal(t, "args", callArgs(m), []map[string]interface{}{{"jobArn": "not-an-arn"}, {"jobArn": "not-an-arn"}})
}

func TestTheWrongTypeInAMockResultFailsTheOutputFormAndEmptiesThePlainForm(t *testing.T) {
	m := &mocks{call: func(pulumi.MockCallArgs) (map[string]interface{}, error) {
		return map[string]interface{}{"status": "COMPLETED", "jobName": 42}, nil
	}}
	var job *braket.GetHybridJobResult
	var plainErr, outputErr error
	mustRun(t, m, nil, func(ctx *pulumi.Context) error {
		job, plainErr = braket.GetHybridJob(ctx, &braket.GetHybridJobArgs{JobArn: pulumi.StringRef(arn)})
		_, outputErr = internals.UnsafeAwaitOutput(ctx.Context(), braket.GetHybridJobOutput(ctx, braket.GetHybridJobOutputArgs{JobArn: pulumi.String(arn)}))
		return nil
	})
	if outputErr == nil || !strings.Contains(outputErr.Error(), "expected a string") {
		t.Errorf("output form: want a decoding error, got %v", outputErr)
	}
	// The plain form: sdk/v3 v3.248.0's Context.InvokePackage drops unmarshalOutput's error, so
	// a result that does not decode comes back as no error and an all-zero result (even the
	// status that did decode is gone). Should a later SDK report the error, that is fine too.
	if plainErr == nil && (job == nil || job.Status != "" || job.JobName != "") {
		t.Errorf("plain form: want an error or an all-zero result, got %#v", job)
	}
}

func TestThePluginsAnswerGivesEveryDerivedField(t *testing.T) {
	m := &mocks{call: func(a pulumi.MockCallArgs) (map[string]interface{}, error) {
		return pluginResult(a.Args["jobArn"].StringValue()), nil
	}}
	mustRun(t, m, nil, func(ctx *pulumi.Context) error {
		job, err := braket.GetHybridJob(ctx, &braket.GetHybridJobArgs{JobArn: pulumi.StringRef(arn)})
		if err != nil {
			return err
		}
		equal(t, "createdAt", job.CreatedAt, "2026-11-29T08:00:00.000Z")
		equal(t, "output", []string{job.OutputS3Path, job.OutputS3Bucket, job.OutputS3KeyPrefix}, []string{"s3://results/vqe-h2", "results", "vqe-h2"})
		equal(t, "results", []string{job.ResultsS3Uri, job.ResultsS3Key}, []string{"s3://results/vqe-h2/output/model.tar.gz", "vqe-h2/output/model.tar.gz"})
		equal(t, "arn parts", []interface{}{job.Partition, job.Region, job.AccountId, job.IsTerminal}, []interface{}{"aws", "us-east-1", "123456789012", true})
		equal(t, "checkpointS3Uri", job.CheckpointS3Uri, (*string)(nil))
		return nil
	})
}

func TestNoCallAndAnUnknownResultWhileJobArnIsUnknownInAPreview(t *testing.T) {
	m := &mocks{preview: true}
	mustRun(t, m, nil, func(ctx *pulumi.Context) error {
		// In a preview the mock gives no id, so the bucket's id (and the ARN made from it) is unknown.
		source, err := newBucket(ctx, "source", nil)
		if err != nil {
			return err
		}
		jobArn := source.ID().ApplyT(func(pulumi.ID) string { return arn }).(pulumi.StringOutput)
		job := braket.GetHybridJobOutput(ctx, braket.GetHybridJobOutputArgs{JobArn: jobArn})
		equal(t, "known", await(t, ctx, job.ResultsS3Uri()).Known, false)
		return nil
	})
	equal(t, "calls", len(m.calls), 0)
}

func TestASecretInputGivesASecretResult(t *testing.T) {
	m := &mocks{call: func(a pulumi.MockCallArgs) (map[string]interface{}, error) {
		return pluginResult(a.Args["jobArn"].StringValue()), nil
	}}
	mustRun(t, m, nil, func(ctx *pulumi.Context) error {
		job := braket.GetHybridJobOutput(ctx, braket.GetHybridJobOutputArgs{JobArn: pulumi.ToSecret(pulumi.String(arn)).(pulumi.StringOutput)})
		r := await(t, ctx, job.OutputS3Path())
		equal(t, "value, known, secret", []interface{}{r.Value, r.Known, r.Secret}, []interface{}{"s3://results/vqe-h2", true, true})
		plain := await(t, ctx, braket.GetHybridJobOutput(ctx, braket.GetHybridJobOutputArgs{JobArn: pulumi.String(arn)}).OutputS3Path())
		equal(t, "plain input, secret", plain.Secret, false)
		return nil
	})
	// The mock is given the plain value; the SDK makes the result secret.
	equal(t, "args", callArgs(m), []map[string]interface{}{{"jobArn": arn}, {"jobArn": arn}})
	equal(t, "secret arg", m.calls[0].Args["jobArn"].IsSecret(), false)
}

func TestCallsOnlyOnceADependsOnResourceHasBeenCreated(t *testing.T) {
	m := &mocks{}
	mustRun(t, m, nil, func(ctx *pulumi.Context) error {
		data, err := newBucket(ctx, "data", nil)
		if err != nil {
			return err
		}
		job := braket.GetHybridJobOutput(ctx, braket.GetHybridJobOutputArgs{JobArn: pulumi.String(arn)}, pulumi.DependsOn([]pulumi.Resource{data}))
		await(t, ctx, job)
		return nil
	})
	equal(t, "log", m.log, []string{"created test:index:Bucket data", "call " + token})
}

func TestUnknownAndNoCallWhileADependsOnResourceIsBeingCreatedInAPreview(t *testing.T) {
	m := &mocks{preview: true}
	mustRun(t, m, nil, func(ctx *pulumi.Context) error {
		creating, err := newBucket(ctx, "creating", nil)
		if err != nil {
			return err
		}
		job := braket.GetHybridJobOutput(ctx, braket.GetHybridJobOutputArgs{JobArn: pulumi.String(arn)}, pulumi.DependsOn([]pulumi.Resource{creating}))
		equal(t, "known", await(t, ctx, job).Known, false)
		return nil
	})
	equal(t, "calls", len(m.calls), 0)
}

func TestEveryLookupIsACallUnderMocks(t *testing.T) {
	// The plugin shares identical lookups in flight; no plugin runs under mocks.
	m := &mocks{}
	mustRun(t, m, nil, func(ctx *pulumi.Context) error {
		a := braket.GetHybridJobOutput(ctx, braket.GetHybridJobOutputArgs{JobArn: pulumi.String(arn)})
		b := braket.GetHybridJobOutput(ctx, braket.GetHybridJobOutputArgs{JobArn: pulumi.String(arn)})
		if _, err := braket.GetHybridJob(ctx, &braket.GetHybridJobArgs{JobArn: pulumi.StringRef(arn)}); err != nil {
			return err
		}
		await(t, ctx, a)
		await(t, ctx, b)
		return nil
	})
	equal(t, "args", callArgs(m), []map[string]interface{}{{"jobArn": arn}, {"jobArn": arn}, {"jobArn": arn}})
}

func TestALookupFailsWhenTheMockFailsAndTheProgramMayHandleIt(t *testing.T) {
	noSuchJob := "GetJob for " + arn + " in region us-east-1 failed: no such job."
	m := &mocks{call: func(pulumi.MockCallArgs) (map[string]interface{}, error) {
		return nil, errors.New(noSuchJob)
	}}
	var plainErr error
	// A Go program sees the plain form's error and may go on: the program succeeds.
	mustRun(t, m, nil, func(ctx *pulumi.Context) error {
		_, plainErr = braket.GetHybridJob(ctx, &braket.GetHybridJobArgs{JobArn: pulumi.StringRef(arn)})
		return nil
	})
	if plainErr == nil || !strings.Contains(plainErr.Error(), "failed: no such job.") {
		t.Fatalf("plain form: want the mock's error, got %v", plainErr)
	}
	// The Output form's failure fails the program that exports it.
	err := run(&mocks{call: m.call}, nil, func(ctx *pulumi.Context) error {
		ctx.Export("status", braket.GetHybridJobOutput(ctx, braket.GetHybridJobOutputArgs{JobArn: pulumi.String(arn)}).Status())
		return nil
	})
	if err == nil || !strings.Contains(err.Error(), "failed: no such job.") {
		t.Fatalf("output form: want the program to fail with the mock's error, got %v", err)
	}
}

// --- GetHybridJobs / GetHybridJobsOutput -------------------------------------------------------

func TestListPlainFormSendsEveryFilterUnderItsSchemaName(t *testing.T) {
	m := &mocks{call: func(pulumi.MockCallArgs) (map[string]interface{}, error) { return pluginList(), nil }}
	mustRun(t, m, nil, func(ctx *pulumi.Context) error {
		list, err := braket.GetHybridJobs(ctx, &braket.GetHybridJobsArgs{
			JobName:       pulumi.StringRef("nightly-train"),
			Statuses:      []braket.HybridJobStatus{braket.HybridJobStatusCompleted, "FAILED"},
			Device:        pulumi.StringRef(sv1),
			CreatedAfter:  pulumi.StringRef("2026-11-01"),
			CreatedBefore: pulumi.StringRef("2026-12-01T00:00:00Z"),
			CreatedAt: &braket.HybridJobCreatedAtFilter{
				Operator: braket.HybridJobCreatedAtOperatorBetween,
				Values:   []string{"2026-11-01T00:00:00Z", "2026-11-30T00:00:00Z"},
			},
			MaxResults: pulumi.IntRef(2),
			Region:     pulumi.StringRef("us-east-1"),
		})
		if err != nil {
			return err
		}
		equal(t, "jobArns", list.JobArns, []string{newest, older})
		equal(t, "matchCount, truncated, region", []interface{}{list.MatchCount, list.Truncated, list.Region}, []interface{}{3, true, "us-east-1"})
		first := list.Jobs[0]
		equal(t, "first", []interface{}{first.JobArn, first.JobName, first.Device, first.Status, first.CreatedAt},
			[]interface{}{newest, "nightly-train", sv1, braket.HybridJobStatusCompleted, "2026-11-28T02:00:00.000Z"})
		equal(t, "first startedAt, endedAt", []string{*first.StartedAt, *first.EndedAt}, []string{"2026-11-28T02:01:00.000Z", "2026-11-28T03:00:00.000Z"})
		// Map keys are data, kept as they are.
		equal(t, "tags", first.Tags, map[string]string{"team": "qaoa", "costCenter": "q1"})
		// Members the answer left out are nil.
		equal(t, "second startedAt, endedAt, tags", []interface{}{list.Jobs[1].StartedAt, list.Jobs[1].EndedAt, list.Jobs[1].Tags},
			[]interface{}{(*string)(nil), (*string)(nil), map[string]string(nil)})
		return nil
	})
	equal(t, "token, provider", []string{m.calls[0].Token, m.calls[0].Provider}, []string{listToken, ""})
	// Go field names, the schema's camelCase on the wire (the createdAt object's members too).
	equal(t, "args", callArgs(m), []map[string]interface{}{{
		"jobName":       "nightly-train",
		"statuses":      []interface{}{"COMPLETED", "FAILED"},
		"device":        sv1,
		"createdAfter":  "2026-11-01",
		"createdBefore": "2026-12-01T00:00:00Z",
		"createdAt":     map[string]interface{}{"operator": "BETWEEN", "values": []interface{}{"2026-11-01T00:00:00Z", "2026-11-30T00:00:00Z"}},
		"maxResults":    2.0,
		"region":        "us-east-1",
	}})
}

func TestListOutputFormSendsOnlyTheArgumentsGivenAndNilArgsAsNone(t *testing.T) {
	m := &mocks{call: func(pulumi.MockCallArgs) (map[string]interface{}, error) { return pluginList(), nil }}
	mustRun(t, m, nil, func(ctx *pulumi.Context) error {
		list := braket.GetHybridJobsOutput(ctx, braket.GetHybridJobsOutputArgs{
			JobName:   pulumi.String("nightly-train"),
			CreatedAt: braket.HybridJobCreatedAtFilterArgs{Operator: braket.HybridJobCreatedAtOperatorGte, Values: pulumi.StringArray{pulumi.String("2026-11-28")}},
		})
		r := await(t, ctx, list)
		equal(t, "known, secret", []bool{r.Known, r.Secret}, []bool{true, false})
		v := r.Value.(braket.GetHybridJobsResult)
		equal(t, "jobArns", v.JobArns, []string{newest, older})
		// The lifted accessors give the same.
		equal(t, "JobArns()", await(t, ctx, list.JobArns()).Value, []string{newest, older})
		equal(t, "MatchCount()", await(t, ctx, list.MatchCount()).Value, 3)
		equal(t, "Truncated()", await(t, ctx, list.Truncated()).Value, true)
		equal(t, "Jobs().Index(1).Status()", await(t, ctx, list.Jobs().Index(pulumi.Int(1)).Status()).Value, braket.HybridJobStatusFailed)

		if _, err := braket.GetHybridJobs(ctx, &braket.GetHybridJobsArgs{}); err != nil {
			return err
		}
		if _, err := braket.GetHybridJobs(ctx, nil); err != nil {
			return err
		}
		return nil
	})
	equal(t, "args", callArgs(m), []map[string]interface{}{
		{"jobName": "nightly-train", "createdAt": map[string]interface{}{"operator": "GTE", "values": []interface{}{"2026-11-28"}}},
		{},
		{},
	})
	equal(t, "tokens", []string{m.calls[0].Token, m.calls[1].Token, m.calls[2].Token}, []string{listToken, listToken, listToken})
}

func TestAListFansOutItsNewestArnIntoALookupAndAGate(t *testing.T) {
	m := &mocks{
		call: func(a pulumi.MockCallArgs) (map[string]interface{}, error) {
			if a.Token == listToken {
				return pluginList(), nil
			}
			return pluginResult(a.Args["jobArn"].StringValue()), nil
		},
		state: func(a pulumi.MockResourceArgs) (map[string]interface{}, error) {
			if a.TypeToken == gateType {
				return pluginResult(a.Inputs["jobArn"].StringValue()), nil
			}
			return nil, nil
		},
	}
	mustRun(t, m, nil, func(ctx *pulumi.Context) error {
		list := braket.GetHybridJobsOutput(ctx, braket.GetHybridJobsOutputArgs{
			JobName:  pulumi.String("nightly-train"),
			Statuses: braket.HybridJobStatusArray{braket.HybridJobStatusCompleted},
		})
		newestArn := list.JobArns().Index(pulumi.Int(0))
		job := braket.GetHybridJobOutput(ctx, braket.GetHybridJobOutputArgs{JobArn: newestArn})
		gate, err := braket.NewHybridJobCompletion(ctx, "newest", &braket.HybridJobCompletionArgs{JobArn: newestArn})
		if err != nil {
			return err
		}
		equal(t, "job", await(t, ctx, job.JobArn()).Value, newest)
		equal(t, "gate", await(t, ctx, gate.JobArn).Value, newest)
		return nil
	})
	equal(t, "first", m.log[0], "call "+listToken)
	equal(t, "calls", callArgs(m), []map[string]interface{}{{"jobName": "nightly-train", "statuses": []interface{}{"COMPLETED"}}, {"jobArn": newest}})
	equal(t, "gate registration", []interface{}{m.resources[0].TypeToken, m.resources[0].Inputs.Mappable()}, []interface{}{gateType, map[string]interface{}{"jobArn": newest}})
}

func TestNoListCallAndAnUnknownListWhileAFilterIsUnknownInAPreview(t *testing.T) {
	m := &mocks{preview: true}
	mustRun(t, m, nil, func(ctx *pulumi.Context) error {
		source, err := newBucket(ctx, "source", nil)
		if err != nil {
			return err
		}
		name := source.ID().ApplyT(func(pulumi.ID) string { return "nightly-train" }).(pulumi.StringOutput)
		list := braket.GetHybridJobsOutput(ctx, braket.GetHybridJobsOutputArgs{JobName: name})
		equal(t, "known", await(t, ctx, list.JobArns()).Known, false)
		return nil
	})
	equal(t, "calls", len(m.calls), 0)
}

// --- name lookups: JobName instead of JobArn ----------------------------------------------------

func TestGetHybridJobByNameSendsExactlyTheNameTheStatusesAndMostRecent(t *testing.T) {
	m := &mocks{call: func(a pulumi.MockCallArgs) (map[string]interface{}, error) {
		r := pluginResult(newest)
		r["jobName"] = a.Args["jobName"].StringValue()
		return r, nil
	}}
	mustRun(t, m, nil, func(ctx *pulumi.Context) error {
		job, err := braket.GetHybridJob(ctx, &braket.GetHybridJobArgs{
			JobName:    pulumi.StringRef("nightly-train"),
			Statuses:   []braket.HybridJobStatus{braket.HybridJobStatusCompleted},
			MostRecent: pulumi.BoolRef(true),
		})
		if err != nil {
			return err
		}
		equal(t, "jobArn, jobName", []string{job.JobArn, job.JobName}, []string{newest, "nightly-train"})
		equal(t, "resultsS3Uri", job.ResultsS3Uri, "s3://results/vqe-h2/output/model.tar.gz")
		return nil
	})
	equal(t, "token", m.calls[0].Token, token)
	equal(t, "args", callArgs(m), []map[string]interface{}{{"jobName": "nightly-train", "statuses": []interface{}{"COMPLETED"}, "mostRecent": true}})
	if _, ok := m.calls[0].Args["jobArn"]; ok {
		t.Errorf("jobArn sent with jobName: %v", m.calls[0].Args)
	}
}

func TestGetHybridJobOutputByNameSendsTheTimeWindowTheDeviceAndMostRecentFalse(t *testing.T) {
	m := &mocks{call: func(pulumi.MockCallArgs) (map[string]interface{}, error) { return pluginResult(newest), nil }}
	mustRun(t, m, nil, func(ctx *pulumi.Context) error {
		job := braket.GetHybridJobOutput(ctx, braket.GetHybridJobOutputArgs{
			JobName:       pulumi.String("nightly-train"),
			CreatedAfter:  pulumi.String("2026-11-28T12:00:00+01:00"),
			CreatedBefore: pulumi.String("2026-11-30"),
			Device:        pulumi.String(sv1),
			MostRecent:    pulumi.Bool(false),
			Region:        pulumi.String("us-east-1"),
		})
		equal(t, "jobArn", await(t, ctx, job.JobArn()).Value, newest)
		return nil
	})
	equal(t, "args", callArgs(m), []map[string]interface{}{{
		"jobName":       "nightly-train",
		"createdAfter":  "2026-11-28T12:00:00+01:00",
		"createdBefore": "2026-11-30",
		"device":        sv1,
		// False is a value: sent, unlike a nil field.
		"mostRecent": false,
		"region":     "us-east-1",
	}})
}

func TestTheGateByNameRegistersThoseInputsAndItsJobArnIsTheJobFound(t *testing.T) {
	m := &mocks{state: func(a pulumi.MockResourceArgs) (map[string]interface{}, error) {
		// What the plugin does at create: finds the job, and records its ARN in the outputs.
		if a.TypeToken == gateType {
			r := pluginResult(newest)
			r["jobName"] = a.Inputs["jobName"].StringValue()
			return r, nil
		}
		return nil, nil
	}}
	mustRun(t, m, nil, func(ctx *pulumi.Context) error {
		gate, err := braket.NewHybridJobCompletion(ctx, "nightly", &braket.HybridJobCompletionArgs{
			JobName:        pulumi.String("nightly-train"),
			Statuses:       braket.HybridJobStatusArray{braket.HybridJobStatusCompleted, braket.HybridJobStatus("FAILED")},
			MostRecent:     pulumi.Bool(true),
			TimeoutSeconds: pulumi.Float64(600),
		})
		if err != nil {
			return err
		}
		equal(t, "jobArn", await(t, ctx, gate.JobArn).Value, newest)
		equal(t, "jobName", await(t, ctx, gate.JobName).Value, "nightly-train")
		equal(t, "resultsS3Uri", await(t, ctx, gate.ResultsS3Uri).Value, "s3://results/vqe-h2/output/model.tar.gz")
		return nil
	})
	equal(t, "registration", []interface{}{m.resources[0].TypeToken, m.resources[0].Name, m.resources[0].Inputs.Mappable()},
		[]interface{}{gateType, "nightly", map[string]interface{}{
			"jobName": "nightly-train", "statuses": []interface{}{"COMPLETED", "FAILED"}, "mostRecent": true, "timeoutSeconds": 600.0,
		}})
}

// --- braket.Provider and stack config ----------------------------------------------------------

func TestAnExplicitProviderIsRegisteredAndNamedByLookupsAndGates(t *testing.T) {
	m := &mocks{}
	var reference string
	mustRun(t, m, nil, func(ctx *pulumi.Context) error {
		eu, err := braket.NewProvider(ctx, "eu", &braket.ProviderArgs{
			Region:     pulumi.String("eu-north-1"),
			Profile:    pulumi.String("ci"),
			MaxRetries: pulumi.Int(5),
			RetryMode:  pulumi.String("adaptive"),
		})
		if err != nil {
			return err
		}
		if _, err := braket.GetHybridJob(ctx, &braket.GetHybridJobArgs{JobArn: pulumi.StringRef(arn)}, pulumi.Provider(eu)); err != nil {
			return err
		}
		await(t, ctx, braket.GetHybridJobOutput(ctx, braket.GetHybridJobOutputArgs{JobArn: pulumi.String(arn)}, pulumi.Provider(eu)))
		gate, err := braket.NewHybridJobCompletion(ctx, "training", &braket.HybridJobCompletionArgs{JobArn: pulumi.String(arn)}, pulumi.Provider(eu))
		if err != nil {
			return err
		}
		await(t, ctx, gate.URN())
		reference = fmt.Sprintf("%s::%s", await(t, ctx, eu.URN()).Value, await(t, ctx, eu.ID()).Value)
		return nil
	})
	// The provider reference is `<urn>::<id>`. (Go's mock monitor leaves the Stack out of URNs.)
	equal(t, "reference", reference, "urn:pulumi:stack::proj::pulumi:providers:braket::eu::eu-id")
	equal(t, "provider registration", []interface{}{m.resources[0].TypeToken, m.resources[0].Name}, []interface{}{providerType, "eu"})
	// Unlike the Node.js and Python SDKs, which JSON-encode provider settings that are not strings
	// ("5"), the Go SDK sends maxRetries as a number; the plugin takes both.
	equal(t, "provider inputs", m.resources[0].Inputs.Mappable(), map[string]interface{}{"region": "eu-north-1", "profile": "ci", "maxRetries": 5.0, "retryMode": "adaptive"})
	equal(t, "call providers", []string{m.calls[0].Provider, m.calls[1].Provider}, []string{reference, reference})
	equal(t, "gate", []string{m.resources[1].TypeToken, m.resources[1].Provider}, []string{gateType, reference})
}

func TestStackConfigReachesTheConfigPackage(t *testing.T) {
	m := &mocks{call: func(a pulumi.MockCallArgs) (map[string]interface{}, error) {
		return pluginResult(a.Args["jobArn"].StringValue()), nil
	}}
	cfg := map[string]string{"braket:region": "eu-north-1", "braket:maxRetries": "5", "proj:jobArn": arn}
	mustRun(t, m, cfg, func(ctx *pulumi.Context) error {
		equal(t, "region", config.GetRegion(ctx), "eu-north-1")
		equal(t, "maxRetries", config.GetMaxRetries(ctx), 5)
		equal(t, "profile", config.GetProfile(ctx), "")
		// Keys are <namespace>:<key>: `braket:` for the provider, the project's for the program's own.
		jobArn := pulumiconfig.Require(ctx, "jobArn")
		if _, err := braket.GetHybridJob(ctx, &braket.GetHybridJobArgs{JobArn: &jobArn}); err != nil {
			return err
		}
		region := config.GetRegion(ctx)
		_, err := braket.GetHybridJob(ctx, &braket.GetHybridJobArgs{JobArn: &jobArn, Region: &region})
		return err
	})
	// The default provider is not registered under mocks, and the calls name none.
	equal(t, "calls", callArgs(m), []map[string]interface{}{{"jobArn": arn}, {"jobArn": arn, "region": "eu-north-1"}})
	equal(t, "providers", []string{m.calls[0].Provider, m.calls[1].Provider}, []string{"", ""})
	equal(t, "resources", len(m.resources), 0)
}

// --- HybridJobCompletion --------------------------------------------------------------------------

func TestTheGateRegistersWithItsTypeAndInputsAndHasTheStateNewResourceReturns(t *testing.T) {
	m := &mocks{state: func(a pulumi.MockResourceArgs) (map[string]interface{}, error) {
		if a.TypeToken == gateType && a.Name == "training" {
			return pluginResult(a.Inputs["jobArn"].StringValue()), nil
		}
		return nil, nil
	}}
	mustRun(t, m, nil, func(ctx *pulumi.Context) error {
		gate, err := braket.NewHybridJobCompletion(ctx, "training", &braket.HybridJobCompletionArgs{
			JobArn:          pulumi.String(arn),
			TimeoutSeconds:  pulumi.Float64(600),
			SuccessStatuses: braket.HybridJobTerminalStatusArray{braket.HybridJobTerminalStatusCompleted, braket.HybridJobTerminalStatus("CANCELLED")},
		})
		if err != nil {
			return err
		}
		equal(t, "resultsS3Uri", await(t, ctx, gate.ResultsS3Uri).Value, "s3://results/vqe-h2/output/model.tar.gz")
		equal(t, "status", await(t, ctx, gate.Status).Value, braket.HybridJobStatusCompleted)
		equal(t, "region", await(t, ctx, gate.Region).Value, "us-east-1")
		equal(t, "s3Path", await(t, ctx, gate.OutputDataConfig.S3Path()).Value, "s3://results/vqe-h2")
		equal(t, "hyperParameters", await(t, ctx, gate.HyperParameters).Value, map[string]string{"shots": "100", "learningRate": "0.1"})
		equal(t, "id", await(t, ctx, gate.ID()).Value, pulumi.ID("training-id"))

		// A gate whose mock returns only its inputs has none of the job's outputs: nothing is derived.
		bare, err := braket.NewHybridJobCompletion(ctx, "bare", &braket.HybridJobCompletionArgs{JobArn: pulumi.String(arn)})
		if err != nil {
			return err
		}
		equal(t, "bare jobArn", await(t, ctx, bare.JobArn).Value, arn)
		equal(t, "bare resultsS3Uri", await(t, ctx, bare.ResultsS3Uri).Value, "")
		return nil
	})
	equal(t, "gate registration", []interface{}{m.resources[0].TypeToken, m.resources[0].Name, m.resources[0].Custom, m.resources[0].Inputs.Mappable()},
		[]interface{}{gateType, "training", true, map[string]interface{}{"jobArn": arn, "timeoutSeconds": 600.0, "successStatuses": []interface{}{"COMPLETED", "CANCELLED"}}})
	equal(t, "bare registration", m.resources[1].Inputs.Mappable(), map[string]interface{}{"jobArn": arn})
}

func TestTheGateRequiresNeitherJobArnNorJobNameThePluginChecks(t *testing.T) {
	// JobArn or JobName, exactly one: the plugin's check refuses neither or both; no plugin runs
	// under mocks, so a gate without either registers.
	m := &mocks{}
	mustRun(t, m, nil, func(ctx *pulumi.Context) error {
		gate, err := braket.NewHybridJobCompletion(ctx, "training", &braket.HybridJobCompletionArgs{})
		if err != nil {
			return err
		}
		await(t, ctx, gate.URN())
		return nil
	})
	equal(t, "registration", []interface{}{m.resources[0].TypeToken, m.resources[0].Inputs.Mappable()}, []interface{}{gateType, map[string]interface{}{}})
}

func TestAGateOnAFailedJobFailsTheProgramAndNothingGatedIsCreated(t *testing.T) {
	m := &mocks{state: func(a pulumi.MockResourceArgs) (map[string]interface{}, error) {
		if a.TypeToken == gateType {
			return nil, errors.New(failed)
		}
		return nil, nil
	}}
	err := run(m, nil, func(ctx *pulumi.Context) error {
		gate, err := braket.NewHybridJobCompletion(ctx, "training", &braket.HybridJobCompletionArgs{JobArn: pulumi.String(arn)})
		if err != nil {
			return err // registration is asynchronous: the failure is not here
		}
		model, err := newBucket(ctx, "model", pulumi.Map{"source": gate.ResultsS3Uri}, pulumi.DependsOn([]pulumi.Resource{gate}))
		if err != nil {
			return err
		}
		ctx.Export("modelUri", gate.ResultsS3Uri)
		ctx.Export("model", model.URN())
		return nil
	})
	if err == nil || !regexp.MustCompile(`ended FAILED: AlgorithmError`).MatchString(err.Error()) {
		t.Fatalf("want the program to fail with the gate's error, got %v", err)
	}
	var types []string
	for _, r := range m.resources {
		types = append(types, r.TypeToken)
	}
	equal(t, "resources asked for", types, []string{gateType})
}
