/**
 * Test program of test/e2e/providers.test.ts (not an example): two braket providers in one program,
 * as @pulumi/aws users have two aws.Providers.
 */
import * as pulumi from "@pulumi/pulumi";
import * as braket from "pulumi-braket";

const config = new pulumi.Config();

// The default provider: its settings come from stack config (braket:endpoint, braket:maxRetries).
const local = braket.getHybridJobOutput({ jobArn: config.require("jobArn") });
export const defaultJobName = local.jobName;

// An explicit provider of another region and endpoint, and a profile of the shared config.
const eu = new braket.Provider("eu", { region: "eu-north-1", endpoint: config.require("euEndpoint"), profile: "eu-reader" });
const euJob = braket.getHybridJobOutput({ jobArn: config.require("euJobArn") }, { provider: eu });
export const euJobName = euJob.jobName;
export const euJobRegion = euJob.region;

// The Promise form through the same provider.
export const euStatus = pulumi.output(braket.getHybridJob({ jobArn: config.require("euJobArn") }, { provider: eu })).status;

// A gate through the explicit provider.
const gate = new braket.HybridJobCompletion("eu-gate", { jobArn: config.require("euJobArn"), timeoutSeconds: 60 }, { provider: eu });
export const euGateStatus = gate.status;
