package org.optline.core.classify;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * One example of the corpus: a text, what it really is, and where it comes from. Files hold one
 * per line as {@code LABEL<TAB>source<TAB>text}; blank lines and lines starting with {@code #}
 * are skipped.
 *
 * @param label what the text really is
 * @param source the id of its source in the corpus's SOURCES file
 * @param text the message as a business or a scammer would send it
 */
public record LabelledText(Label label, String source, String text) {

    /** Reads every example of a corpus file. */
    public static List<LabelledText> read(Reader reader) throws IOException {
        List<LabelledText> texts = new ArrayList<>();
        BufferedReader lines = new BufferedReader(reader);
        int number = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            number++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\t", 3);
            if (fields.length != 3 || fields[2].isBlank()) {
                throw new IOException("line " + number + ": LABEL<TAB>source<TAB>text expected");
            }
            try {
                texts.add(new LabelledText(Label.valueOf(fields[0].trim()), fields[1].trim(), fields[2].strip()));
            } catch (IllegalArgumentException e) {
                throw new IOException("line " + number + ": unknown label " + fields[0], e);
            }
        }
        return texts;
    }

    /** The line of this example in a corpus file. */
    public String line() {
        return label + "\t" + source + "\t" + text;
    }
}
