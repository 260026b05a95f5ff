package io.ghostwatch.diagnose;

/**
 * One reason an enabled-looking trigger can still leave ghosts or fail signups (runbook Step 3C).
 *
 * @param code     stable name, e.g. {@code function_swallows_errors}
 * @param summary  what is wrong
 * @param evidence what the catalog shows
 * @param fix      what to do
 */
public record Cause(String code, String summary, String evidence, String fix) {
}
