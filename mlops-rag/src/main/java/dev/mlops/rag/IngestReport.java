package dev.mlops.rag;

/**
 * What one ingest call did: documents added, updated (content hash changed: re-chunked and
 * re-embedded), unchanged (skipped, no embedding work), deleted, and the chunks embedded.
 */
public record IngestReport(int added, int updated, int unchanged, int deleted, int chunksEmbedded) {}
