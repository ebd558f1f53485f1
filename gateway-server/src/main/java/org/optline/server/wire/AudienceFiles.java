package org.optline.server.wire;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.optline.core.campaign.AudienceSource;

/**
 * An uploaded audience file read row by row, in one of two formats:
 * <ul>
 * <li><b>CSV</b>: {@code recipient,param1,param2,…} per line, fields in double quotes when they
 *     hold a comma ({@code ""} for a quote); a first line whose first field is {@code recipient}
 *     is a header and skipped.
 * <li><b>NDJSON</b>: one JSON object per line, {@code {"recipient":"+1…","parameters":["…"]}};
 *     any other field makes the row invalid, as in the rest of the API.
 * </ul>
 * Blank lines are skipped. A line longer than {@link #MAX_LINE_BYTES} is one invalid row and is
 * skipped without being held in memory. Line numbers count from 1, header included. The file is
 * opened on the first read (on the import thread) and deleted when the source is closed.
 */
public final class AudienceFiles {
    /** Far more than a number and a few parameters of 1 600 characters; memory stays bounded by it. */
    static final int MAX_LINE_BYTES = 64 * 1024;

    /** The formats an audience may be uploaded in. */
    public enum Format {
        CSV,
        NDJSON
    }

    private AudienceFiles() {}

    /** The format a Content-Type names, or null for none of ours. */
    public static Format format(String contentType) {
        if (contentType == null) {
            return null;
        }
        String type = contentType.strip().toLowerCase(Locale.ROOT);
        if (type.startsWith("text/csv") || type.startsWith("application/csv")) {
            return Format.CSV;
        }
        if (type.startsWith("application/x-ndjson") || type.startsWith("application/ndjson")
                || type.startsWith("application/jsonl") || type.startsWith("application/json")) {
            return Format.NDJSON;
        }
        return null;
    }

    /** An upload with no body: no rows. */
    public static AudienceSource empty() {
        return new AudienceSource() {
            @Override
            public Entry next() {
                return null;
            }

            @Override
            public void close() {}
        };
    }

    /** The upload in {@code file} as a source of rows; closing it deletes the file. */
    public static AudienceSource open(Path file, Format format) {
        return open(file, format, in -> in);
    }

    /** Reads an audience from a file whose bytes {@code decoding} turns back into the upload (a spool file is encrypted). */
    public static AudienceSource open(Path file, Format format, java.util.function.UnaryOperator<InputStream> decoding) {
        return new FileSource(file, format, decoding);
    }

    private static final class FileSource implements AudienceSource {
        private final Path file;
        private final Format format;
        private final java.util.function.UnaryOperator<InputStream> decoding;
        private InputStream in;
        private long line;
        private boolean pastHeader;
        private boolean ended;

        FileSource(Path file, Format format, java.util.function.UnaryOperator<InputStream> decoding) {
            this.file = file;
            this.format = format;
            this.decoding = decoding;
        }

        @Override
        public Entry next() throws IOException {
            if (in == null) {
                in = new BufferedInputStream(decoding.apply(new BufferedInputStream(Files.newInputStream(file),
                        64 * 1024)), 64 * 1024);
            }
            // Bounded by the file: every round consumes one line of it.
            while (!ended) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
                boolean tooLong = readLine(bytes);
                line++;
                if (tooLong) {
                    pastHeader = true;
                    return Entry.malformed(line, "LINE_TOO_LONG");
                }
                String text = bytes.toString(StandardCharsets.UTF_8);
                if (text.isBlank()) {
                    continue;
                }
                if (format == Format.CSV) {
                    List<String> fields = csvFields(text);
                    if (!pastHeader) {
                        pastHeader = true;
                        if (fields != null && !fields.isEmpty()
                                && fields.get(0).strip().equalsIgnoreCase("recipient")) {
                            continue;
                        }
                    }
                    if (fields == null || fields.isEmpty()) {
                        return Entry.malformed(line, "MALFORMED_ROW");
                    }
                    return new Entry(line, fields.get(0).strip(), fields.subList(1, fields.size()), null);
                }
                pastHeader = true;
                return ndjson(line, text);
            }
            return null;
        }

        /** Reads one line into {@code bytes}; true when it was too long (and was skipped to its end). */
        private boolean readLine(ByteArrayOutputStream bytes) throws IOException {
            boolean tooLong = false;
            for (int b = in.read(); ; b = in.read()) {
                if (b == -1) {
                    ended = true;
                    break;
                }
                if (b == '\n') {
                    break;
                }
                if (tooLong) {
                    continue;
                }
                if (bytes.size() == MAX_LINE_BYTES) {
                    tooLong = true;
                    bytes.reset();
                    continue;
                }
                bytes.write(b);
            }
            int size = bytes.size();
            if (!tooLong && size > 0 && bytes.toByteArray()[size - 1] == '\r') {
                byte[] trimmed = java.util.Arrays.copyOf(bytes.toByteArray(), size - 1);
                bytes.reset();
                bytes.write(trimmed, 0, trimmed.length);
            }
            return tooLong;
        }

        @Override
        public void close() {
            try {
                if (in != null) {
                    in.close();
                }
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove an upload's spool file", e);
            }
        }
    }

    /** The fields of a CSV line (RFC 4180 within one line); null when its quotes do not match. */
    static List<String> csvFields(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == '"' && field.length() == 0 && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
            } else if (wasQuoted && !Character.isWhitespace(c)) {
                return null;
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            return null;
        }
        fields.add(field.toString());
        return fields;
    }

    private static AudienceSource.Entry ndjson(long line, String text) {
        JsonObject row;
        try {
            JsonElement parsed = JsonParser.parseString(text);
            if (!parsed.isJsonObject()) {
                return AudienceSource.Entry.malformed(line, "MALFORMED_ROW");
            }
            row = parsed.getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            return AudienceSource.Entry.malformed(line, "MALFORMED_ROW");
        }
        String recipient = null;
        List<String> parameters = new ArrayList<>();
        for (Map.Entry<String, JsonElement> field : row.entrySet()) {
            JsonElement value = field.getValue();
            switch (field.getKey()) {
                case "recipient" -> {
                    if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
                        return AudienceSource.Entry.malformed(line, "MALFORMED_ROW");
                    }
                    recipient = value.getAsString();
                }
                case "parameters" -> {
                    if (!value.isJsonArray()) {
                        return AudienceSource.Entry.malformed(line, "MALFORMED_ROW");
                    }
                    for (JsonElement parameter : value.getAsJsonArray()) {
                        if (!parameter.isJsonPrimitive() || !parameter.getAsJsonPrimitive().isString()) {
                            return AudienceSource.Entry.malformed(line, "MALFORMED_ROW");
                        }
                        parameters.add(parameter.getAsString());
                    }
                }
                default -> {
                    return AudienceSource.Entry.malformed(line, "MALFORMED_ROW");
                }
            }
        }
        if (recipient == null) {
            return AudienceSource.Entry.malformed(line, "MALFORMED_ROW");
        }
        return new AudienceSource.Entry(line, recipient, parameters, null);
    }
}
