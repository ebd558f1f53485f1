package org.optline.storage.rocksdb;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.optline.core.campaign.AudienceRow;
import org.optline.core.campaign.AudienceSummary;
import org.optline.core.campaign.Campaign;
import org.optline.core.campaign.CampaignOutcome;
import org.optline.core.campaign.CampaignState;
import org.optline.core.campaign.Counts;
import org.optline.core.campaign.Hold;
import org.optline.core.campaign.Progress;
import org.optline.core.campaign.QuietHours;
import org.optline.core.message.Category;
import org.optline.core.recipient.PhoneNumber;
import org.optline.core.recipient.SealedNumbers;

/**
 * Campaign keys and values on disk. Keys put the campaign first ({@code campaign ‖ 0 ‖ …}), so a
 * campaign's audience, holds or seconds are one range, and numbers are 8-byte big-endian, so that
 * byte order is numeric order. Values start with a format version; enums are stored by name.
 * Campaign records and audience rows are written a few times a second, not on admission's hot
 * path, so plain data streams do.
 */
final class CampaignCodec {
    private static final byte VERSION = 1;
    /** An audience row whose number is sealed; version 1 rows held it in clear. */
    private static final byte SEALED_ROW = 2;
    private static final byte SEPARATOR = 0;
    /** After every campaign ‖ 0 ‖ … key of a campaign: where its audience's next ordinal is kept. */
    private static final byte COUNTER = 1;

    private CampaignCodec() {}

    // ---- keys ----

    /** business ‖ 0 ‖ campaign — a campaign's record. */
    static byte[] campaignKey(String businessId, String campaignId) {
        return concat(prefix(businessId), campaignId.getBytes(StandardCharsets.UTF_8));
    }

    /** business ‖ 0 — the prefix of a business's campaign records. */
    static byte[] businessPrefix(String businessId) {
        return prefix(businessId);
    }

    /** campaign ‖ 0 — the prefix of everything of a campaign in one family. */
    static byte[] prefix(String id) {
        byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
        byte[] prefix = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        prefix[bytes.length] = SEPARATOR;
        return prefix;
    }

    /** The first key after every campaign ‖ 0 ‖ … key: the end of a campaign's range. */
    static byte[] rangeEnd(String id) {
        byte[] end = prefix(id);
        end[end.length - 1] = COUNTER;
        return end;
    }

    /** The first key after a campaign's range and its counter. */
    static byte[] rangeEndWithCounter(String id) {
        byte[] end = prefix(id);
        end[end.length - 1] = COUNTER + 1;
        return end;
    }

    /** campaign ‖ 1 — the next free ordinal of the campaign's audience (in the audience family). */
    static byte[] counterKey(String id) {
        return rangeEnd(id);
    }

    /** campaign ‖ 0 ‖ ordinal — an audience member. */
    static byte[] audienceKey(String id, long ordinal) {
        return concat(prefix(id), longBytes(ordinal));
    }

    /** campaign ‖ 0 ‖ recipient — the member index that keeps an audience free of duplicates. */
    static byte[] memberKey(String id, byte[] recipient) {
        return concat(prefix(id), recipient);
    }

    /** campaign ‖ 0 ‖ release time in ms ‖ ordinal — a hold, in release order. */
    static byte[] holdKey(String id, Hold hold) {
        return concat(prefix(id), ByteBuffer.allocate(16).putLong(hold.releaseAt().toEpochMilli())
                .putLong(hold.ordinal()).array());
    }

    static Hold hold(byte[] key, byte[] value, int prefixLength) {
        ByteBuffer buffer = ByteBuffer.wrap(key, prefixLength, 16);
        Instant releaseAt = Instant.ofEpochMilli(buffer.getLong());
        long ordinal = buffer.getLong();
        return new Hold(releaseAt, ordinal, value.length > 0 && value[0] == 1 ? Hold.Kind.RETRY : Hold.Kind.QUIET_HOURS);
    }

    static byte[] holdValue(Hold hold) {
        return new byte[] {(byte) (hold.kind() == Hold.Kind.RETRY ? 1 : 0)};
    }

    /** campaign ‖ 0 ‖ epoch second — the counts of one second. */
    static byte[] secondKey(String id, Instant second) {
        return concat(prefix(id), longBytes(second.getEpochSecond()));
    }

    static Instant second(byte[] key, int prefixLength) {
        return Instant.ofEpochSecond(ByteBuffer.wrap(key, prefixLength, 8).getLong());
    }

    static byte[] longBytes(long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    static long longOf(byte[] bytes) {
        return ByteBuffer.wrap(bytes).getLong();
    }

    // ---- values ----

    static byte[] campaign(Campaign c) {
        return write(out -> {
            out.writeUTF(c.id());
            out.writeUTF(c.businessId());
            writeString(out, c.name());
            writeNullable(out, c.templateName());
            writeNullable(out, c.text());
            out.writeUTF(c.declaredCategory().name());
            writeInstant(out, c.createdAt());
            writeInstant(out, c.startAt());
            writeInstant(out, c.endAt());
            out.writeInt(c.pacePerSecond());
            out.writeInt(c.quietHours().start().toSecondOfDay());
            out.writeInt(c.quietHours().end().toSecondOfDay());
            out.writeUTF(c.state().name());
            AudienceSummary a = c.audience();
            out.writeLong(a.rows());
            out.writeLong(a.recipients());
            out.writeLong(a.invalidRows());
            out.writeLong(a.duplicateRows());
            Progress p = c.progress();
            out.writeLong(p.cursor());
            writeCounts(out, p.counts());
            out.writeLong(p.waitingQuietHours());
            out.writeLong(p.waitingRetry());
            writeInstant(out, p.startedAt());
            writeInstant(out, p.finishedAt());
        });
    }

    static Campaign campaign(byte[] bytes) {
        return read(bytes, in -> {
            String id = in.readUTF();
            String businessId = in.readUTF();
            String name = readString(in);
            String templateName = readNullable(in);
            String text = readNullable(in);
            Category category = Category.valueOf(in.readUTF());
            Instant createdAt = readInstant(in);
            Instant startAt = readInstant(in);
            Instant endAt = readInstant(in);
            int pace = in.readInt();
            QuietHours quiet = new QuietHours(LocalTime.ofSecondOfDay(in.readInt()), LocalTime.ofSecondOfDay(in.readInt()));
            CampaignState state = CampaignState.valueOf(in.readUTF());
            AudienceSummary audience = new AudienceSummary(in.readLong(), in.readLong(), in.readLong(), in.readLong());
            Progress progress = new Progress(in.readLong(), readCounts(in), in.readLong(), in.readLong(),
                    readInstant(in), readInstant(in));
            return new Campaign(id, businessId, name, templateName, text, category, createdAt, startAt, endAt, pace,
                    quiet, state, audience, progress);
        });
    }

    /** A member's row: its number sealed ({@link SealedNumbers}), and its parameters. */
    static byte[] row(AudienceRow row, SealedNumbers numbers) {
        byte[] sealed = numbers == null ? null : numbers.seal(row.recipient());
        return write(sealed == null ? VERSION : SEALED_ROW, out -> {
            if (sealed == null) {
                // The earlier layout, written only by the tests of the move to sealed numbers.
                out.writeUTF(row.recipient().e164());
            } else {
                out.writeInt(sealed.length);
                out.write(sealed);
            }
            out.writeInt(row.parameters().size());
            for (String parameter : row.parameters()) {
                writeString(out, parameter);
            }
        });
    }

    /** A member's row; one of the earlier layout (version 1) holds the number in clear. */
    static AudienceRow row(long ordinal, byte[] bytes, SealedNumbers numbers) {
        return read(bytes, SEALED_ROW, in -> {
            PhoneNumber number;
            if (bytes[0] == SEALED_ROW) {
                byte[] sealed = new byte[in.readInt()];
                in.readFully(sealed);
                number = numbers.open(sealed);
            } else {
                number = PhoneNumber.parseOnce(in.readUTF()).orElseThrow(
                        () -> new IllegalStateException("the store holds a number that no longer validates"));
            }
            int n = in.readInt();
            List<String> parameters = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                parameters.add(readString(in));
            }
            return new AudienceRow(ordinal, number, parameters);
        });
    }

    static byte[] counts(Counts counts) {
        return write(out -> writeCounts(out, counts));
    }

    static Counts counts(byte[] bytes) {
        return read(bytes, CampaignCodec::readCounts);
    }

    private static void writeCounts(DataOutputStream out, Counts counts) throws IOException {
        Map<CampaignOutcome, Long> map = counts.asMap();
        out.writeInt(map.size());
        for (Map.Entry<CampaignOutcome, Long> entry : map.entrySet()) {
            out.writeUTF(entry.getKey().name());
            out.writeLong(entry.getValue());
        }
    }

    private static Counts readCounts(DataInputStream in) throws IOException {
        int n = in.readInt();
        Map<CampaignOutcome, Long> map = new EnumMap<>(CampaignOutcome.class);
        for (int i = 0; i < n; i++) {
            map.put(CampaignOutcome.valueOf(in.readUTF()), in.readLong());
        }
        return Counts.of(map);
    }

    /** Strings that may be longer than writeUTF's 64 KB: a length and UTF-8 bytes. */
    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IllegalStateException("a stored value is truncated or corrupt");
        }
        byte[] utf8 = in.readNBytes(length);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    private static void writeNullable(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            writeString(out, s);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? readString(in) : null;
    }

    private static void writeInstant(DataOutputStream out, Instant at) throws IOException {
        out.writeBoolean(at != null);
        if (at != null) {
            out.writeLong(at.getEpochSecond());
            out.writeInt(at.getNano());
        }
    }

    private static Instant readInstant(DataInputStream in) throws IOException {
        return in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private static byte[] write(Writer writer) {
        return write(VERSION, writer);
    }

    private static byte[] write(byte version, Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(version);
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static <T> T read(byte[] bytes, Reader<T> reader) {
        return read(bytes, VERSION, reader);
    }

    private static <T> T read(byte[] bytes, byte newest, Reader<T> reader) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version < VERSION || version > newest) {
                throw new IllegalStateException("stored campaign value of format version " + version + ", expected "
                        + VERSION);
            }
            return reader.read(in);
        } catch (java.io.EOFException e) {
            throw new IllegalStateException("a stored value is truncated or corrupt", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
