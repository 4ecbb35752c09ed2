package dev.mlops.registry;

import java.time.Instant;

/**
 * One entry of the registry's append-only audit log.
 *
 * @param seq       1, 2, 3, ... without gaps
 * @param at        when, from the registry's clock
 * @param principal who, from the host's principal supplier
 * @param action    what kind of change, e.g. {@code create_version}, {@code set_alias}, {@code promote}
 * @param target    what changed, e.g. {@code models:/churn/3} or {@code models:/churn@champion}
 * @param details   the change as JSON
 * @param reason    why, as given by the caller ({@code ""} if none)
 * @param prevHash  the previous entry's hash (64 zeros for the first)
 * @param hash      SHA-256 over {@code prevHash} and every field above, in a fixed encoding
 */
public record AuditEntry(long seq, Instant at, String principal, String action, String target, String details,
                         String reason, String prevHash, String hash) {
}
