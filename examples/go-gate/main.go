// go-gate: read an Amazon Braket hybrid job and gate a deployment on its completion.
//
// The lookups and the gate run in the braket provider plugin (pulumi-resource-braket), which reads
// the job in the region of its ARN (unless the stack sets braket:region), with the braket
// provider's stack config (braket:profile, braket:endpoint) or else the AWS SDK's usual
// environment (AWS_PROFILE, AWS_ENDPOINT_URL_BRAKET, ...).
package main

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/pulumi-braket/pulumi-braket/sdk/go/braket"
)

// ModelServer stands in for what you deploy with the results (a Lambda, an ECS service, an SSM
// parameter with the model's URI...), so that this example needs no other plugin.
type ModelServer struct {
	pulumi.ResourceState
	ModelUri pulumi.StringOutput
}

func newModelServer(ctx *pulumi.Context, name string, modelUri pulumi.StringOutput, opts ...pulumi.ResourceOption) (*ModelServer, error) {
	s := &ModelServer{ModelUri: modelUri}
	if err := ctx.RegisterComponentResource("braket-examples:index:ModelServer", name, s, opts...); err != nil {
		return nil, err
	}
	return s, ctx.RegisterResourceOutputs(s, pulumi.Map{"modelUri": modelUri})
}

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")
		jobArn := cfg.Require("jobArn")
		timeoutSeconds := cfg.GetInt("timeoutSeconds")
		if timeoutSeconds == 0 {
			timeoutSeconds = 6 * 3600
		}

		// 1. The Output form: takes Inputs, gives an Output, ready to export or to pass to
		//    resources. Every field of GetJob is there, plus conveniences: ResultsS3Uri is
		//    <OutputS3Path>/output/model.tar.gz.
		job := braket.GetHybridJobOutput(ctx, braket.GetHybridJobOutputArgs{JobArn: pulumi.String(jobArn)})
		ctx.Export("jobName", job.JobName())
		ctx.Export("statusWhenRead", job.Status())
		ctx.Export("outputS3Path", job.OutputS3Path())
		ctx.Export("resultsS3Uri", job.ResultsS3Uri())
		ctx.Export("resultsS3Key", job.ResultsS3Key())
		// Optional fields are pointers: nil (exported as null) when the job has no checkpoints.
		ctx.Export("checkpointS3Uri", job.CheckpointS3Uri())
		ctx.Export("hyperParameters", job.HyperParameters())

		// 2. The plain form: returns the result itself (the program waits for the request), to
		//    decide or to format with plain values. Its error is the lookup's: handle it or
		//    return it to fail the program.
		plain, err := braket.GetHybridJob(ctx, &braket.GetHybridJobArgs{JobArn: &jobArn})
		if err != nil {
			return err
		}
		var summary string
		switch {
		case plain.Status == braket.HybridJobStatusCompleted:
			summary = fmt.Sprintf("%s COMPLETED at %s; results at %s", plain.JobName, orElse(plain.EndedAt, "an unrecorded time"), plain.ResultsS3Uri)
		case plain.IsTerminal:
			summary = fmt.Sprintf("%s ended %s: %s", plain.JobName, plain.Status, orElse(plain.FailureReason, "no failure reason given"))
		default:
			summary = fmt.Sprintf("%s is %s; its results will be at %s", plain.JobName, plain.Status, plain.ResultsS3Uri)
		}
		ctx.Export("summary", pulumi.String(summary))

		// 3. The gate: `pulumi up` waits here until the job is terminal. COMPLETED creates the
		//    gate with every field of the finished job as outputs; FAILED or CANCELLED (not in
		//    SuccessStatuses), or the timeout, fails the update with the job's name, ARN, status
		//    and failureReason, and nothing that depends on the gate is deployed. `pulumi preview`
		//    never waits; Ctrl-C stops the wait.
		training, err := braket.NewHybridJobCompletion(ctx, "training", &braket.HybridJobCompletionArgs{
			JobArn:          pulumi.String(jobArn),
			TimeoutSeconds:  pulumi.Float64(float64(timeoutSeconds)),
			SuccessStatuses: braket.HybridJobTerminalStatusArray{braket.HybridJobTerminalStatusCompleted},
		})
		if err != nil {
			return err
		}

		// DependsOn the gate (and its outputs as inputs): created only once the job COMPLETED.
		server, err := newModelServer(ctx, "model-server", training.ResultsS3Uri, pulumi.DependsOn([]pulumi.Resource{training}))
		if err != nil {
			return err
		}

		// The gate's outputs are the job as it finished (a lookup's are the job as it was when read).
		ctx.Export("finishedStatus", training.Status)
		ctx.Export("modelUri", server.ModelUri)
		ctx.Export("billableDuration", training.BillableDuration)
		return nil
	})
}

func orElse(s *string, fallback string) string {
	if s == nil || *s == "" {
		return fallback
	}
	return *s
}
