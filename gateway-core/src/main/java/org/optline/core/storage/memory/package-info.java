/**
 * The in-memory storage engine, {@link org.optline.core.storage.memory.InMemoryStorageEngine}:
 * for tests and the ephemeral demo mode.
 */
package org.optline.core.storage.memory;
