package dev.mlops.registry;

/**
 * The result of {@link ModelRegistry#verifyAuditLog()}.
 *
 * @param intact       whether every entry's hash matches its content and chain
 * @param entries      how many entries were checked
 * @param firstBadSeq  the first entry that fails, or -1 when intact
 * @param problem      what failed, {@code ""} when intact
 * @param headHash     the hash of the last entry: a host may keep it elsewhere to detect truncation later
 */
public record AuditVerification(boolean intact, long entries, long firstBadSeq, String problem, String headHash) {
}
