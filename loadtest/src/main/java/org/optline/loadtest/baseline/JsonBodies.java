package org.optline.loadtest.baseline;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Tells the two shapes of a JSON submission apart, as the gateway does (docs/protocol.md 3.2): a
 * top-level object with a {@code messages} key is a batch, any other object is one message.
 * The baseline only looks at the top-level names, skipping their values, instead of building
 * the whole tree first: it is the machine's limit, so it does the least a server must.
 */
final class JsonBodies {
    private static final String BATCH_KEY = "messages";

    private JsonBodies() {}

    /** True for a batch, false for one message, null when the body is not a JSON object. */
    static Boolean isBatch(ByteBuf body) {
        try (JsonReader json = new JsonReader(new InputStreamReader(
                new ByteBufInputStream(body.duplicate()), StandardCharsets.UTF_8))) {
            if (json.peek() != JsonToken.BEGIN_OBJECT) {
                return null;
            }
            json.beginObject();
            while (json.hasNext()) {
                if (BATCH_KEY.equals(json.nextName())) {
                    return true;
                }
                json.skipValue();
            }
            json.endObject();
            return false;
        } catch (IOException | RuntimeException e) {
            // Gson throws unchecked exceptions for some malformed JSON.
            return null;
        }
    }
}
