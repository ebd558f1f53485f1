package org.optline.storage.rocksdb;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.optline.core.storage.StorageException;

/**
 * A small file beside the database that says up to which group commit the store has
 * acknowledged writes. It lives outside RocksDB on purpose: a write-ahead log that is cut short
 * or deleted takes its own records with it, so only a record kept elsewhere can tell that the
 * store came back behind what it acknowledged. It is replaced atomically (a temporary file,
 * fsync'd, renamed over the old one, then the directory fsync'd), so it is either the old number
 * or the new one, never a torn mix.
 *
 * <p>It only ever trails the truth: it is written after the fsync of the commit it names, at a
 * clean close (exactly) and about once a second while the store runs. A recovered store behind
 * it has lost acknowledged writes; one ahead of it is normal.
 */
final class AcknowledgedMark {
    static final String FILE = "OPTLINE-ACKNOWLEDGED";
    private static final String TEMPORARY = FILE + ".tmp";
    private static final Pattern LINE = Pattern.compile("(?m)^commit=(\\d{1,19})$");

    private AcknowledgedMark() {}

    /** The commit the store last said it acknowledged; empty for a store that never wrote the mark. */
    static OptionalLong read(Path store) {
        Path file = store.resolve(FILE);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        } catch (IOException e) {
            throw new StorageException("cannot read " + file + ": " + e.getMessage()
                    + ". Nothing was changed; make it readable by this user", e);
        }
        Matcher m = LINE.matcher(text);
        if (!m.find()) {
            throw new StorageException("the store in " + store + " is corrupt (" + file + " does not say up to"
                    + " which commit the store acknowledged writes). Nothing was changed; restore the store from a"
                    + " backup, or, if you know the store is whole, delete that file to start without the check", null);
        }
        try {
            return OptionalLong.of(Long.parseLong(m.group(1)));
        } catch (NumberFormatException e) {
            throw new StorageException("the store in " + store + " is corrupt (" + file + " holds a number out of"
                    + " range). Nothing was changed; restore the store from a backup", e);
        }
    }

    /** Replaces the mark with {@code commit}, durably. */
    static void write(Path store, long commit) throws IOException {
        Path temporary = store.resolve(TEMPORARY);
        byte[] text = ("# Written by Optline: writes up to this group commit were acknowledged. A store that opens\n"
                + "# behind it has lost acknowledged writes, and Optline refuses to start on it.\n"
                + "commit=" + commit + "\n").getBytes(StandardCharsets.US_ASCII);
        try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(text);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(true);
        }
        try {
            Files.move(temporary, store.resolve(FILE), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot replace " + FILE + " atomically in " + store, e);
        }
        syncDirectory(store);
    }

    /** Makes a rename or a new file in {@code directory} durable (Linux and macOS allow fsync on a directory). */
    static void syncDirectory(Path directory) throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Windows cannot open a directory for fsync; there a rename is as durable as it gets.
            if (!System.getProperty("os.name", "").startsWith("Windows")) {
                throw e;
            }
        }
    }
}
