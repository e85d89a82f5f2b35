/**
 * How the adapters of ./shapes.ts and ./shapes-ec2.ts read a value of another family's shape:
 * mapped when known, passed on while unknown, absent when absent.
 */
import { asArray, isUnknown } from "./values";

export type Props = Record<string, any>;

/** `f(value)` for a known value, the value itself when unknown, `undefined` when absent. */
export function known<T>(value: unknown, f: (v: any) => T): T | string | undefined {
    return value === undefined || value === null ? undefined : isUnknown(value) ? (value as string) : f(value);
}

/**
 * A CloudFormation LaunchTemplateSpecification (`LaunchTemplateId`, `LaunchTemplateName`, `Version`)
 * in the shape of @pulumi/aws's `launchTemplate` (`id`, `name`, `version`).
 */
export function launchTemplateRef(value: unknown): unknown {
    return known(value, (lt) => ({ ...lt, id: lt.launchTemplateId, name: lt.launchTemplateName }));
}

/** `list` mapped item by item; an unknown list or item stays unknown. */
export function each(list: unknown, f: (item: Props) => Props): unknown {
    return known(list, (l) => asArray(l).map((item) => (isUnknown(item) || typeof item !== "object" || item === null ? item : f(item))));
}

/** `[value]` for one known value, `[]` for none, the unknown itself while unknown. */
export const listOf = (v: unknown) => (v === undefined || v === null ? [] : isUnknown(v) ? v : [v]);
