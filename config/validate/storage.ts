import { StackConfig } from "../keys";
import { AreaValidator, ConfigError, key, show } from "./check";

/** Retention periods CloudWatch Logs accepts. */
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
    2922, 3288, 3653];

/**
 * What the stack keeps and for how long: logRetentionDays (access logs, flow logs, container
 * logs). retainAccessLogs, flowLogs and deletionProtection are booleans, checked on the way in.
 */
export const validateStorage: AreaValidator = (c: StackConfig) => {
    if (!LOG_RETENTION_DAYS.includes(c.logRetentionDays)) {
        throw new ConfigError(`${key("logRetentionDays")} is ${show(c.logRetentionDays)}. Use one of: ${LOG_RETENTION_DAYS.join(", ")}.`);
    }
};
