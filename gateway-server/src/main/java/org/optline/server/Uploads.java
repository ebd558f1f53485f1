package org.optline.server;

import java.nio.file.Path;
import java.util.concurrent.Executor;

/**
 * Where the bodies of streamed requests (audience uploads) are spooled, and the thread that writes
 * them, so that no event loop waits for a disk.
 */
public record Uploads(Path directory, Executor disk) {}
