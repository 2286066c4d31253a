/**
 * Writes the package schema (`provider/cmd/pulumi-resource-braket/schema.json`), the one source of
 * every shape the SDKs see. The job's shapes are not written here: they are read from Braket's own
 * API model (GetJobResponse and what it nests), so a member the service adds reaches every language
 * by regenerating. What is declared here is ours alone: the conveniences, the gate's inputs, the
 * provider's configuration, and the descriptions the model lacks.
 *
 * Run: `npm run gen` (this, then the SDK generators). CI fails when the committed schema drifts.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { braketModel, shape, type Shape } from "./model";
import { CONVENIENCE_DOCS, TERMINAL_STATUSES } from "./mapping";
import { DEFAULT_POLLING, DEFAULT_WAIT_TIMEOUT_SECONDS } from "./wait";
import { PROVIDER_CONFIG_DOCS } from "./config";
import { CREATED_AT_OPERATORS, DEFAULT_MAX_JOBS, MAX_JOBS_LIMIT, SEARCH_FILTER_NAMES } from "./jobFilters";

type Json = Record<string, unknown>;

/** The package's own names for the model's shapes: "HybridJob" + the shape, without a leading "Job". */
const RENAMED: Record<string, string> = { JobEventDetails: "HybridJobEvent", JobPrimaryStatus: "HybridJobStatus" };
const typeName = (shapeName: string): string =>
    RENAMED[shapeName] ?? (shapeName.startsWith("HybridJob") ? shapeName : `HybridJob${shapeName.replace(/^Job/, "")}`);

/**
 * Model enums kept as plain strings: AWS adds instance types often, and an SDK must not refuse a job
 * that runs on one it does not know yet.
 */
const OPEN_ENUMS = new Set(["InstanceType"]);

const TIMESTAMP_DOC = "An ISO-8601 UTC timestamp (`2026-11-29T12:00:00.000Z`).";

/** Missing or unhelpful model docs, by `Shape.member`. */
const MEMBER_DOCS: Record<string, string> = {
    "GetJobResponse.billableDuration":
        "The billable time the hybrid job used, once known. The model gives no unit; Braket reports milliseconds.",
    "HybridJobQueueInfo.position":
        'The job\'s position in the queue, as the API gives it: a number as a string, or `"None"` when not queued.',
};

/** The model's documentation as plain text: HTML tags dropped, `<code>` kept as Markdown code. */
export function plainDoc(html: string | undefined): string {
    return (html ?? "")
        .replace(/<code>(.*?)<\/code>/gs, "`$1`")
        .replace(/<[^>]+>/g, "")
        .replace(/&quot;/g, '"')
        .replace(/&lt;/g, "<")
        .replace(/&gt;/g, ">")
        .replace(/&amp;/g, "&")
        .replace(/\s+/g, " ")
        .trim();
}

/** Builds the schema's types from the model, starting at a shape; returns the property spec of a member. */
class TypesFromModel {
    readonly types: Record<string, Json> = {};

    /** The property spec of a member of shape `owner` that refers to `ref`. */
    property(owner: string, member: string, ref: { shape: string; documentation?: string }): Json {
        const description = MEMBER_DOCS[`${owner}.${member}`] ?? plainDoc(ref.documentation);
        const spec = this.typeRef(ref.shape);
        const doc = shape(ref.shape).type === "timestamp" ? `${description} ${TIMESTAMP_DOC}` : description;
        if (!doc) {
            throw new Error(`The model documents no ${owner}.${member}: add it to MEMBER_DOCS.`);
        }
        return { ...spec, description: doc };
    }

    /** The type of a shape as a property's type spec, declaring object and enum types on the way. */
    typeRef(shapeName: string): Json {
        const s = shape(shapeName);
        switch (s.type) {
            case "string":
                return s.enum && !OPEN_ENUMS.has(shapeName) ? this.enumRef(shapeName, s) : { type: "string" };
            case "timestamp":
                return { type: "string" };
            case "integer":
            case "long":
                return { type: "integer" };
            case "float":
            case "double":
                return { type: "number" };
            case "boolean":
                return { type: "boolean" };
            case "list":
                return { type: "array", items: this.typeRef(s.member!.shape) };
            case "map":
                return { type: "object", additionalProperties: this.typeRef(s.value!.shape) };
            case "structure":
                return { $ref: `#/types/braket:index:${this.objectType(shapeName, s)}` };
            default:
                throw new Error(`No schema type for the model's ${s.type} shape ${shapeName}.`);
        }
    }

    private enumRef(shapeName: string, s: Shape): Json {
        const name = typeName(shapeName);
        this.types[`braket:index:${name}`] ??= {
            type: "string",
            description: plainDoc(s.documentation) || `The values of Braket's ${shapeName}.`,
            enum: s.enum!.map((value) => ({ value, name: enumMemberName(value) })),
        };
        return { $ref: `#/types/braket:index:${name}` };
    }

    private objectType(shapeName: string, s: Shape): string {
        const name = typeName(shapeName);
        const token = `braket:index:${name}`;
        if (!this.types[token]) {
            this.types[token] = {}; // declared before its members, so a recursive shape ends
            this.types[token] = {
                type: "object",
                description: `${plainDoc(s.documentation)} (Braket's \`${shapeName}\`.)`.trim(),
                properties: this.properties(shapeName, s),
                ...(s.required?.length ? { required: [...s.required].sort() } : {}),
            };
        }
        return name;
    }

    /** Every member of a structure shape as properties, sorted by name. */
    properties(shapeName: string, s: Shape = shape(shapeName)): Record<string, Json> {
        return Object.fromEntries(
            Object.entries(s.members ?? {})
                .sort(([a], [b]) => a.localeCompare(b))
                .map(([member, ref]) => [member, this.property(shapeName, member, ref)]),
        );
    }
}

/** An enum value as a member name in every language: `RESERVATION_TIME_WINDOW_ARN` → `ReservationTimeWindowArn`. */
function enumMemberName(value: string): string {
    return value
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .filter(Boolean)
        .map((w) => w[0].toUpperCase() + w.slice(1))
        .join("");
}

/** Settings a lookup or the gate may override per call, and their provider-wide defaults. */
const PER_CALL_SETTINGS = {
    region: {
        type: "string",
        description:
            "The region to call. Default: the provider's `region`, then the region in `jobArn` (GetJob must go to the job's own region); without a `jobArn`, the AWS SDK's region (`AWS_REGION`, the profile's `region`).",
    },
    profile: {
        type: "string",
        description:
            "The shared-config profile whose credentials sign the request. Default: the provider's `profile`, then the AWS SDK's chain (AWS_PROFILE, environment, SSO, container and instance metadata).",
    },
    endpoint: {
        type: "string",
        description:
            "The Braket endpoint URL. Default: the provider's `endpoint`, then the AWS SDK's resolution (`AWS_ENDPOINT_URL_BRAKET`, `AWS_ENDPOINT_URL`, shared config, the public regional endpoint).",
    },
};

/** The filters of a search by name (getHybridJob and the gate with `jobName`, and getHybridJobs). */
function searchInputs(model: TypesFromModel, jobNameDescription: string): Record<string, Json> {
    const summary = shape("JobSummary").members!;
    return {
        jobName: { type: "string", description: jobNameDescription },
        statuses: {
            type: "array",
            items: model.typeRef(summary.status.shape),
            description: 'Only jobs in one of these statuses, e.g. `["COMPLETED"]`. Matched on each job SearchJobs returns.',
        },
        createdAfter: {
            type: "string",
            description:
                "Only jobs created strictly after this time: ISO-8601 with a zone (`2026-11-29T12:00:00Z`) or a date (midnight UTC). Sent to SearchJobs, so fewer pages are read.",
        },
        createdBefore: {
            type: "string",
            description: "Only jobs created strictly before this time, written as `createdAfter`. Sent to SearchJobs.",
        },
        device: {
            type: "string",
            description: `Only jobs whose primary device (${plainDoc(summary.device.documentation).replace(/^The /, "the ").replace(/\.$/, "")}) is exactly this, e.g. \`arn:aws:braket:::device/quantum-simulator/amazon/sv1\`.`,
        },
    };
}

const SEARCH_NOTE = `SearchJobs filters on ${SEARCH_FILTER_NAMES.map((n) => `\`${n}\``).join(" and ")} only, so the name, statuses and device are matched on each job it returns: a search reads every page its time window lets through (narrow it with \`createdAfter\`). It needs the IAM permission \`braket:SearchJobs\`.`;

export function buildSchema(version?: string): Json {
    const model = new TypesFromModel();
    const job = model.properties("GetJobResponse");
    const required = [...(shape("GetJobResponse").required ?? [])];
    const conveniences: Record<string, Json> = {};
    for (const [name, { type, description, always }] of Object.entries(CONVENIENCE_DOCS)) {
        conveniences[name] = { type, description };
        if (always) {
            required.push(name);
        }
    }
    const resultProperties = { ...job, ...conveniences };
    const { queueInfo: _queueInfo, ...gateProperties } = resultProperties;
    const terminal = "braket:index:HybridJobTerminalStatus";
    model.types[terminal] = {
        type: "string",
        description: "A status after which a hybrid job never changes again.",
        enum: TERMINAL_STATUSES.map((value) => ({ value, name: enumMemberName(value) })),
    };
    const getJobRequest = shape("GetJobRequest").members!;
    const attributeNames = model.typeRef("HybridJobAdditionalAttributeName");

    const config = Object.fromEntries(Object.entries(PROVIDER_CONFIG_DOCS).map(([name, spec]) => [name, { ...spec }]));

    const mostRecent = {
        type: "boolean",
        description:
            "When several jobs match `jobName` and the filters, take the newest (by createdAt) instead of failing with how many matched. Default false.",
    };
    const nameDoc =
        "The name the job was created with, exact and case-sensitive: the job is found with SearchJobs, for when its ARN is not known (new jobs' ARNs end in a UUID, not the name). No match, or several without `mostRecent`, is an error that names the filters and the region.";
    const nameLookup = { ...searchInputs(model, nameDoc), mostRecent };
    const gateNameLookup = Object.fromEntries(
        Object.entries(nameLookup).map(([k, v]) => [
            k,
            { ...v, description: `${v.description} A change replaces the gate (and finds the job again).` },
        ]),
    );
    const listInputs = searchInputs(model, "Only jobs with exactly this name (case-sensitive).");
    const summaryRef = model.typeRef("JobSummary");
    const createdAtOperator = "braket:index:HybridJobCreatedAtOperator";
    model.types[createdAtOperator] = {
        type: "string",
        description: "The operators of a createdAt filter: SearchJobsFilterOperator's, but CONTAINS (which is for text).",
        enum: CREATED_AT_OPERATORS.map((value) => ({ value, name: enumMemberName(value) })),
    };
    const createdAtFilter = "braket:index:HybridJobCreatedAtFilter";
    model.types[createdAtFilter] = {
        type: "object",
        description: "A filter on the time jobs were created, as SearchJobs takes it (Braket's `SearchJobsFilter` named `createdAt`).",
        properties: {
            operator: { $ref: `#/types/${createdAtOperator}`, description: "How `values` bound the creation time: BETWEEN is inclusive." },
            values: {
                type: "array",
                items: { type: "string" },
                description: "ISO-8601 timestamps with a zone, or dates: 2 for BETWEEN, 1 to 10 for EQUAL (any), else 1.",
            },
        },
        required: ["operator", "values"],
    };

    return {
        name: "braket",
        displayName: "Amazon Braket",
        ...(version ? { version } : {}),
        description: "Read Amazon Braket hybrid jobs (GetJob) and gate deployments on their completion.",
        keywords: ["pulumi", "aws", "braket", "quantum", "hybrid-jobs", "category/cloud", "kind/native"],
        homepage: "https://github.com/pulumi-braket/pulumi-braket",
        repository: "https://github.com/pulumi-braket/pulumi-braket",
        license: "Apache-2.0",
        publisher: "pulumi-braket",
        pluginDownloadURL: "github://api.github.com/pulumi-braket",
        meta: { moduleFormat: "(.*)" },
        config: { variables: config },
        provider: {
            description:
                "The Amazon Braket provider. Its settings apply to every lookup and gate that uses it, unless a call gives its own.",
            inputProperties: config,
        },
        types: Object.fromEntries(Object.entries({ ...model.types }).sort(([a], [b]) => a.localeCompare(b))),
        functions: {
            "braket:index:getHybridJob": {
                description:
                    "Reads an Amazon Braket hybrid job (Braket's GetJob) and returns every field of it, plus S3 locations ready for wiring. " +
                    "The ARN and attribute names are checked before any request. The result is the job as it was when it was read " +
                    "(a lookup during the first `pulumi up` may well say RUNNING): to act on the finished job, use the outputs of a HybridJobCompletion. " +
                    "Without the ARN, give `jobName` (and filters): SearchJobs finds the job, then GetJob reads it, so the result is the same. " +
                    SEARCH_NOTE,
                inputs: {
                    properties: {
                        jobArn: {
                            type: "string",
                            description: `${plainDoc(getJobRequest.jobArn.documentation)} For example \`arn:aws:braket:us-east-1:123456789012:job/<uuid>\`; checked against the service's JobArn pattern before any request. Give \`jobArn\` or \`jobName\`, not both.`,
                        },
                        ...nameLookup,
                        additionalAttributeNames: {
                            type: "array",
                            items: attributeNames,
                            description: plainDoc(getJobRequest.additionalAttributeNames.documentation),
                        },
                        ...PER_CALL_SETTINGS,
                    },
                },
                outputs: {
                    description: "The hybrid job: every member of GetJob's response under its own name, plus conveniences for wiring.",
                    properties: resultProperties,
                    required: required.sort(),
                },
            },
            "braket:index:getHybridJobs": {
                description:
                    "Lists Amazon Braket hybrid jobs (Braket's SearchJobs, every page) that match the filters, newest first (then by ARN), for fan-out and tables. " +
                    `At most \`maxResults\` are returned; \`matchCount\` and \`truncated\` say whether there were more. ${SEARCH_NOTE}`,
                inputs: {
                    properties: {
                        ...listInputs,
                        createdAt: {
                            $ref: `#/types/${createdAtFilter}`,
                            description: "Only jobs whose creation time passes this filter, with the API's operators. Sent to SearchJobs.",
                        },
                        maxResults: {
                            type: "integer",
                            description: `The most jobs to return (the newest). Default ${DEFAULT_MAX_JOBS}, at most ${MAX_JOBS_LIMIT}.`,
                        },
                        ...PER_CALL_SETTINGS,
                    },
                },
                outputs: {
                    description: "The matching jobs, newest first.",
                    properties: {
                        jobs: {
                            type: "array",
                            items: summaryRef,
                            description:
                                "The matching jobs' summaries (SearchJobs's JobSummary), newest first, then by ARN; at most `maxResults`.",
                        },
                        jobArns: {
                            type: "array",
                            items: { type: "string" },
                            description: "The ARNs of `jobs`, in the same order, ready for fan-out to getHybridJob or HybridJobCompletion.",
                        },
                        matchCount: { type: "integer", description: "How many jobs matched, before the `maxResults` cap." },
                        truncated: {
                            type: "boolean",
                            description: "True when more jobs matched than `maxResults`: the oldest were left out.",
                        },
                        region: { type: "string", description: "The region that was searched." },
                    },
                    required: ["jobArns", "jobs", "matchCount", "region", "truncated"],
                },
            },
        },
        resources: {
            "braket:index:HybridJobCompletion": {
                description:
                    "A deployment gate on an Amazon Braket hybrid job. During `pulumi up` it waits until the job is terminal: when the job " +
                    "COMPLETED (or another status in `successStatuses`) the gate is created with every field of the job as outputs, so " +
                    "resources that depend on it deploy with the job's results; when the job FAILED or was CANCELLED, or the timeout " +
                    "passes, the update fails with the job's name, ARN, status and failureReason. `pulumi preview` never waits, an " +
                    "unchanged `jobArn` does not wait again, `pulumi refresh` re-reads the job, and Ctrl-C stops the wait at once. " +
                    "Given `jobName` (and filters) instead of `jobArn`, the gate finds the job with SearchJobs once, when it is created, and follows " +
                    "that job from then on (its `jobArn` output): a newer job of the same name does not change it, another name or filter replaces it. " +
                    "To follow each new run, pass the `jobArn` of a getHybridJob lookup with `mostRecent` instead.",
                properties: gateProperties,
                required: required.filter((r) => r in gateProperties).sort(),
                inputProperties: {
                    jobArn: {
                        type: "string",
                        description:
                            "The ARN of the hybrid job to wait for. Another ARN replaces the gate (and waits again). Give `jobArn` or `jobName`, not both.",
                    },
                    ...gateNameLookup,
                    ...PER_CALL_SETTINGS,
                    timeoutSeconds: {
                        type: "number",
                        description: `The longest the update waits, in seconds. Default ${DEFAULT_WAIT_TIMEOUT_SECONDS} (6 hours).`,
                    },
                    successStatuses: {
                        type: "array",
                        items: { $ref: `#/types/${terminal}` },
                        description:
                            'The statuses that let the update go on. Default `["COMPLETED"]`; any other terminal status fails the update with the job\'s failureReason. A change replaces the gate.',
                    },
                    initialIntervalSeconds: {
                        type: "number",
                        description: `The first interval between two reads, in seconds. Default ${DEFAULT_POLLING.initialIntervalSeconds}.`,
                    },
                    maxIntervalSeconds: {
                        type: "number",
                        description: `The longest interval between two reads, in seconds: the longest delay in noticing the end, unless a read is itself held up by throttling and the SDK's retries. Default ${DEFAULT_POLLING.maxIntervalSeconds}.`,
                    },
                    backoffRate: {
                        type: "number",
                        description: `How much each interval grows. Default ${DEFAULT_POLLING.backoffRate}.`,
                    },
                },
            },
        },
        language: {
            nodejs: {
                packageName: "pulumi-braket",
                packageDescription: "Read Amazon Braket hybrid jobs and gate Pulumi deployments on their completion.",
                dependencies: { "@pulumi/pulumi": "^3.142.0" },
                typescriptVersion: "~5.9.3",
                respectSchemaVersion: true,
            },
            python: {
                packageName: "pulumi_braket",
                // pulumi >= 3.231, which the generated code needs, needs Python 3.10.
                pythonRequires: ">=3.10",
                pyproject: { enabled: true },
                respectSchemaVersion: true,
            },
            go: {
                importBasePath: "github.com/pulumi-braket/pulumi-braket/sdk/go/braket",
                generateResourceContainerTypes: true,
                respectSchemaVersion: true,
            },
            csharp: {
                rootNamespace: "Pulumi",
                packageReferences: { Pulumi: "3.*" },
                respectSchemaVersion: true,
            },
        },
    };
}

/** The schema as committed: without the version (the plugin adds its own at run time). */
export function schemaText(version?: string): string {
    return `${JSON.stringify(buildSchema(version), null, 4)}\n`;
}

if (require.main === module) {
    const out = process.argv[2] ?? join(__dirname, "..", "..", "provider", "cmd", "pulumi-resource-braket", "schema.json");
    writeFileSync(out, schemaText());
    process.stderr.write(`wrote ${out} (Braket model ${braketModel.metadata.apiVersion})\n`);
}
