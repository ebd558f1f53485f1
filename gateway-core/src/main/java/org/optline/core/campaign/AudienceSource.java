package org.optline.core.campaign;

import java.io.IOException;
import java.util.List;

/**
 * An uploaded audience read entry by entry (the transport decides the format: CSV, NDJSON), so
 * that an import holds one entry at a time whatever the size. Closing it releases the upload.
 */
public interface AudienceSource extends AutoCloseable {

    /** The next data row, or null at the end. */
    Entry next() throws IOException;

    @Override
    void close();

    /**
     * One data row.
     *
     * @param line its line number in the upload, from 1, for the report on invalid rows
     * @param recipient the number as written; never to be echoed
     * @param problem why the row could not be read (a code such as MALFORMED_ROW), or null
     */
    record Entry(long line, String recipient, List<String> parameters, String problem) {
        public static Entry malformed(long line, String problem) {
            return new Entry(line, "", List.of(), problem);
        }

        @Override
        public String toString() {
            return "Entry[line " + line + (problem == null ? "" : ", " + problem) + "]";
        }
    }
}
