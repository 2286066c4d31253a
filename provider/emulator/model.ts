/**
 * Typed access to the Braket service model (botocore service-2.json for
 * Braket 2019-09-01) that ships in provider/model. Everything the emulator
 * knows about routes, shapes and errors comes from here.
 */
import {
    braketModel,
    codeLiteralsInDocs,
    enumOf,
    operation,
    shape,
    type Operation,
    type Shape,
    type ShapeRef,
    type ServiceModel,
} from "../model";

export { shape, operation, enumOf, codeLiteralsInDocs };
export type { Operation, Shape, ShapeRef, ServiceModel };

/** The model, shared with the package's own checks (provider/model). */
export const model: ServiceModel = braketModel;

/** The SigV4 signing name from the model ("braket"). */
export const SIGNING_NAME: string = model.metadata.signingName;

/** HTTP status code of a modeled error shape, e.g. 404 for ResourceNotFoundException. */
export function errorStatus(code: string): number | undefined {
    const s = Object.hasOwn(model.shapes, code) ? model.shapes[code] : undefined;
    return s?.exception ? s.error?.httpStatusCode : undefined;
}

/** The shape name of a member of a structure, following the member reference. */
export function memberShapeName(structure: string, member: string): string {
    const ref = shape(structure).members?.[member];
    if (!ref) throw new Error(`Braket model shape ${structure} has no member ${member}`);
    return ref.shape;
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
