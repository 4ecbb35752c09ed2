package dev.mlops.registry;

/**
 * What {@link ModelRegistry#collectGarbage} did.
 *
 * @param deletedBlobs    unreferenced blobs deleted
 * @param bytesFreed      their total size
 * @param referencedBlobs blobs old enough to be considered but still referenced, kept
 * @param youngBlobs      blobs stored within the grace period, not considered
 */
public record GarbageCollection(int deletedBlobs, long bytesFreed, int referencedBlobs, int youngBlobs) {
}
