// Test program of test/e2e/languages.test.ts: a job ARN from a config secret, read and gated on.
package main

import (
	"github.com/pulumi-braket/pulumi-braket/sdk/go/braket"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		jobArn := config.RequireSecret(ctx, "jobArn")
		job := braket.GetHybridJobOutput(ctx, braket.GetHybridJobOutputArgs{JobArn: jobArn})
		gate, err := braket.NewHybridJobCompletion(ctx, "gate", &braket.HybridJobCompletionArgs{
			JobArn:                 jobArn,
			InitialIntervalSeconds: pulumi.Float64(1),
			MaxIntervalSeconds:     pulumi.Float64(2),
			TimeoutSeconds:         pulumi.Float64(120),
		})
		if err != nil {
			return err
		}
		ctx.Export("statusWhenRead", job.Status())
		ctx.Export("finishedStatus", gate.Status)
		return nil
	})
}
