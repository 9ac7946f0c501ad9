package org.perpcore.journal;

import java.nio.file.Path;

/**
 * A snapshot file as its header describes it. {@code problem} is null for a file whose header is readable; its body
 * is only checked (checksum, restore, state hash) when it is used or verified.
 *
 * @param file       the file
 * @param seq        the sequence number of its SNAPSHOT command: the state after every command up to it
 * @param nowMs      engine time at that point (the latest command timestamp)
 * @param stateHash  the engine's state hash at that point
 * @param bodyLength bytes of engine state after the header
 * @param problem    why the file is unusable, or null
 */
public record SnapshotInfo(Path file, long seq, long nowMs, long stateHash, long bodyLength, String problem) {
}
