package org.optline.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.optline.core.campaign.AudienceSource;

class AudienceFilesTest {
    @TempDir
    Path temp;

    private List<AudienceSource.Entry> read(String content, AudienceFiles.Format format) throws Exception {
        Path file = Files.writeString(temp.resolve("upload"), content, StandardCharsets.UTF_8);
        List<AudienceSource.Entry> entries = new ArrayList<>();
        try (AudienceSource source = AudienceFiles.open(file, format)) {
            for (AudienceSource.Entry entry = source.next(); entry != null; entry = source.next()) {
                entries.add(entry);
            }
        }
        assertThat(file).as("closing the source removes the upload").doesNotExist();
        return entries;
    }

    @Test
    void csvWithAHeaderQuotedCommasCrlfAndBlankLines() throws Exception {
        List<AudienceSource.Entry> rows = read("Recipient,amount\r\n+447911000001,\"1,000 EUR\"\r\n\r\n"
                + "+447911000002,\"say \"\"hi\"\"\"\n+447911000003,\"open\n", AudienceFiles.Format.CSV);

        assertThat(rows).hasSize(3);
        assertThat(rows.get(0).line()).isEqualTo(2);
        assertThat(rows.get(0).parameters()).containsExactly("1,000 EUR");
        assertThat(rows.get(1).line()).isEqualTo(4);
        assertThat(rows.get(1).parameters()).containsExactly("say \"hi\"");
        assertThat(rows.get(2).problem()).isEqualTo("MALFORMED_ROW");
        assertThat(rows.get(2).recipient()).as("a malformed row's content is never kept").isEmpty();
    }

    @Test
    void aLineLongerThanTheBoundIsOneInvalidRowAndTheNextIsRead() throws Exception {
        String longLine = "+447911000001," + "x".repeat(AudienceFiles.MAX_LINE_BYTES + 10);
        List<AudienceSource.Entry> rows = read(longLine + "\n+447911000002\n", AudienceFiles.Format.CSV);

        assertThat(rows).extracting(AudienceSource.Entry::problem).containsExactly("LINE_TOO_LONG", null);
        assertThat(rows.get(1).line()).isEqualTo(2);
    }

    @Test
    void ndjsonTakesRecipientAndParametersAndNothingElse() throws Exception {
        List<AudienceSource.Entry> rows = read("{\"recipient\":\"+447911000001\",\"parameters\":[\"a\",\"b\"]}\n"
                + "{\"recipient\":\"+447911000002\",\"name\":\"x\"}\n"
                + "{\"recipient\":447911000003}\n"
                + "not json\n"
                + "[1,2]\n", AudienceFiles.Format.NDJSON);

        assertThat(rows.get(0).parameters()).containsExactly("a", "b");
        assertThat(rows.subList(1, 5)).extracting(AudienceSource.Entry::problem).containsOnly("MALFORMED_ROW");
    }

    @Test
    void theContentTypeNamesTheFormat() {
        assertThat(AudienceFiles.format("text/csv; charset=utf-8")).isEqualTo(AudienceFiles.Format.CSV);
        assertThat(AudienceFiles.format("application/x-ndjson")).isEqualTo(AudienceFiles.Format.NDJSON);
        assertThat(AudienceFiles.format("text/plain")).isNull();
        assertThat(AudienceFiles.format(null)).isNull();
    }
}
