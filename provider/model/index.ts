/**
 * Amazon Braket's own API model (botocore's `service-2.json` for Braket 2019-09-01), shipped with
 * the package so that validation and the local endpoint are derived from the service's definition
 * rather than from memory.
 */
import serviceModel from "./braket-2019-09-01.json";

export interface ShapeRef {
    shape: string;
    location?: "uri" | "querystring" | "header" | "headers" | "statusCode";
    locationName?: string;
    documentation?: string;
    idempotencyToken?: boolean;
}

export interface Shape {
    type: string;
    members?: Record<string, ShapeRef>;
    required?: string[];
    member?: ShapeRef;
    key?: ShapeRef;
    value?: ShapeRef;
    enum?: string[];
    pattern?: string;
    min?: number;
    max?: number;
    timestampFormat?: string;
    error?: { httpStatusCode: number; senderFault?: boolean };
    exception?: boolean;
    fault?: boolean;
    documentation?: string;
    document?: boolean;
    union?: boolean;
}

export interface Operation {
    name: string;
    http: { method: string; requestUri: string; responseCode?: number };
    input?: { shape: string };
    output?: { shape: string };
    errors?: { shape: string }[];
    documentation?: string;
}

export interface ServiceModel {
    metadata: {
        apiVersion: string;
        endpointPrefix: string;
        protocol: string;
        signingName: string;
        serviceId: string;
    };
    operations: Record<string, Operation>;
    shapes: Record<string, Shape>;
}

export const braketModel: ServiceModel = serviceModel as unknown as ServiceModel;

/** The named shape; throws when the model has no such shape (a programming error). */
export function shape(name: string): Shape {
    const found = braketModel.shapes[name];
    if (!found) {
        throw new Error(`The Braket model has no shape named ${name}.`);
    }
    return found;
}

/** The named operation; throws when the model has no such operation. */
export function operation(name: string): Operation {
    const found = braketModel.operations[name];
    if (!found) {
        throw new Error(`The Braket model has no operation named ${name}.`);
    }
    return found;
}

/**
 * The model's `pattern` of a string shape as a RegExp matching the whole value. The model's
 * patterns are unanchored; a client check is only useful when it covers the whole value.
 */
export function anchoredPattern(shapeName: string): RegExp {
    const pattern = shape(shapeName).pattern;
    if (pattern === undefined) {
        throw new Error(`The Braket model gives shape ${shapeName} no pattern.`);
    }
    return new RegExp(`^(?:${pattern})$`, "u");
}

/** The model's enum values of a string shape, e.g. JobPrimaryStatus. */
export function enumOf(shapeName: string): readonly string[] {
    const values = shape(shapeName).enum;
    if (!values) {
        throw new Error(`The Braket model's shape ${shapeName} is not an enum.`);
    }
    return values;
}

/** Strips the model's HTML documentation down to the `<code>` literals it mentions. */
export function codeLiteralsInDocs(doc: string | undefined): string[] {
    const out: string[] = [];
    const re = /<code>\s*([^<\s]+)\s*<\/code>/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(doc ?? "")) !== null) {
        if (!out.includes(m[1])) out.push(m[1]);
    }
    return out;
}
