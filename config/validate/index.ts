import { StackConfig } from "../keys";
import { validateApplication } from "./application";
import { AreaValidator, through, ValidationContext } from "./check";
import { coerceConfig } from "./coerce";
import { validateCompute } from "./compute";
import { validateEdge } from "./edge";
import { validateNetwork } from "./network";
import { validateObservability } from "./observability";
import { validatePki } from "./pki";
import { validatePermissionsBoundary, validateSecurity } from "./security";
import { validateStorage } from "./storage";

/**
 * The validators by area, in the order they run: a validator that reads another area's key
 * (pki reads mtlsMode, compute reads natGateways, application reads compute's keys) runs after the
 * one that checks it.
 */
export const AREA_VALIDATORS: readonly AreaValidator[] = [
    validateNetwork, validateEdge, validatePki, validateCompute, validateApplication, validateStorage, validateSecurity, validatePermissionsBoundary, validateObservability,
];

/**
 * Validates raw values (strings as the Pulumi engine passes them, or already-typed values) into a
 * StackConfig, each value in its normal form. Pure: tests call it directly.
 */
export function validateConfig(raw: Record<string, unknown>, context: ValidationContext = {}): StackConfig {
    return through(context.door ?? "config", () => {
        let c = coerceConfig(raw);
        for (const validate of AREA_VALIDATORS) {
            c = { ...c, ...validate(c, context) };
        }
        return c;
    });
}
