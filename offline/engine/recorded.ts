/**
 * What the offline runner records for each resource the program registers. Shared by the program
 * tests, the policy-pack own-stack tests and the offline preview.
 */
export interface RecordedResource {
    /** Type token, e.g. `aws:lb/listener:Listener` or `e2etls:network:Network`. */
    readonly type: string;
    /** Logical name. */
    readonly name: string;
    readonly urn: string;
    /** URN of the parent resource (the stack for top-level components). */
    readonly parent?: string;
    /** Provider-assigned ID (custom resources only). */
    readonly id?: string;
    /** True for provider resources, false for components and the stack. */
    readonly custom: boolean;
    /** Inputs as the program passed them, secrets unwrapped. */
    readonly inputs: Record<string, any>;
    /** State the mock provider returned (inputs plus computed ids, ARNs, names). */
    readonly outputs: Record<string, any>;
    /** URNs this resource depends on. */
    readonly dependencies: string[];
    /** Input property name to the URNs it depends on. */
    readonly propertyDependencies: Record<string, string[]>;
    /** Top-level input property names whose value was a Pulumi secret. */
    readonly secretInputs: string[];
    /** Resource options the engine acts on at replace and delete time, as registered. */
    readonly options?: RecordedOptions;
    /** The aliases the registration carried (the engine matches old URNs with them). */
    readonly aliases?: RecordedAlias[];
}

/**
 * One alias of a registration: an old URN, or a spec whose empty fields the engine fills from the
 * resource (pulumi/pulumi sdk/proto/alias.proto).
 */
export interface RecordedAlias {
    readonly urn?: string;
    readonly name?: string;
    readonly type?: string;
    readonly project?: string;
    readonly stack?: string;
    /** The old parent's URN (in the form the monitor gave it). */
    readonly parentUrn?: string;
    /** The old resource had no parent but the stack. */
    readonly noParent?: boolean;
}

export interface RecordedOptions {
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    readonly deleteBeforeReplace: boolean;
    /** Whether deleteBeforeReplace was set explicitly (either way) rather than left to the default. */
    readonly deleteBeforeReplaceDefined: boolean;
    /** Input properties the engine keeps at their old value on update (`ignoreChanges`). */
    readonly ignoreChanges: string[];
    /** `replacementTrigger`: a change of this value (from one set value to another) replaces the resource. */
    readonly replacementTrigger?: unknown;
}

/** One run of the program under mocks. */
export interface ProgramRun {
    readonly stack: string;
    /** Every registration in order, the root stack resource included. */
    readonly resources: RecordedResource[];
    /** Stack outputs, secrets unwrapped. */
    readonly outputs: Record<string, any>;
    /** Names of stack outputs that are secrets. */
    readonly secretOutputs: string[];
    /** Values the offline run accepted that a real deploy refuses (placeholders), as sentences. */
    readonly warnings: string[];
    /** Every provider look-up the program made, in order (the deployer policy needs their actions). */
    readonly invokes: RecordedInvoke[];
}

/** One provider function call (`aws.getAvailabilityZonesOutput(...)` and the like). */
export interface RecordedInvoke {
    /** Function token, e.g. `aws:index/getAvailabilityZones:getAvailabilityZones`. */
    readonly token: string;
    /** Arguments as the program passed them, secrets unwrapped. */
    readonly inputs: Record<string, any>;
}
