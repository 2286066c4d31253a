/**
 * Typed access to the Braket service model (botocore service-2.json for
 * Braket 2019-09-01) that ships in provider/model. Everything the emulator
 * knows about routes, shapes and errors comes from here.
 */
import modelJson from "../model/braket-2019-09-01.json";

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

export const model: ServiceModel = modelJson as unknown as ServiceModel;

/** The SigV4 signing name from the model ("braket"). */
export const SIGNING_NAME: string = model.metadata.signingName;

export function shape(name: string): Shape {
    const s = model.shapes[name];
    if (!s) throw new Error(`Braket model has no shape named ${name}`);
    return s;
}

export function operation(name: string): Operation {
    const op = model.operations[name];
    if (!op) throw new Error(`Braket model has no operation named ${name}`);
    return op;
}

/** The enum values of a (string) shape, e.g. JobPrimaryStatus. */
export function enumOf(shapeName: string): readonly string[] {
    const values = shape(shapeName).enum;
    if (!values) throw new Error(`Braket model shape ${shapeName} is not an enum`);
    return values;
}

/** HTTP status code of a modeled error shape, e.g. 404 for ResourceNotFoundException. */
export function errorStatus(code: string): number | undefined {
    const s = model.shapes[code];
    return s?.exception ? s.error?.httpStatusCode : undefined;
}

/** The shape name of a member of a structure, following the member reference. */
export function memberShapeName(structure: string, member: string): string {
    const ref = shape(structure).members?.[member];
    if (!ref) throw new Error(`Braket model shape ${structure} has no member ${member}`);
    return ref.shape;
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

const patternCache = new Map<string, RegExp | null>();
/**
 * Compiles a model pattern. Smithy/botocore patterns are ECMA-262 regular
 * expressions that are NOT implicitly anchored, so they are tested with
 * search semantics. Returns null if the pattern cannot be compiled by V8
 * (then the constraint is not enforced).
 */
export function compilePattern(pattern: string): RegExp | null {
    if (patternCache.has(pattern)) return patternCache.get(pattern) ?? null;
    let re: RegExp | null;
    try {
        re = new RegExp(pattern);
    } catch {
        re = null;
    }
    patternCache.set(pattern, re);
    return re;
}
