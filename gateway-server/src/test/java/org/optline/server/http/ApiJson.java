package org.optline.server.http;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.net.http.HttpResponse;
import org.optline.proto.v1.ErrorBody;
import org.optline.proto.v1.MessageResult;
import org.optline.proto.v1.SubmitMessagesResponse;

/**
 * Reads the API's JSON answers into the schema's messages, strictly (an unknown field fails the
 * test), so that the tests check the proto3 JSON mapping the clients rely on.
 */
final class ApiJson {
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();

    private ApiJson() {}

    static MessageResult result(HttpResponse<String> response) {
        return parse(response.body(), MessageResult.newBuilder()).build();
    }

    static SubmitMessagesResponse results(HttpResponse<String> response) {
        return parse(response.body(), SubmitMessagesResponse.newBuilder()).build();
    }

    static ErrorBody error(HttpResponse<String> response) {
        return error(response.body());
    }

    static ErrorBody error(String body) {
        return parse(body, ErrorBody.newBuilder()).build();
    }

    static <B extends Message.Builder> B parse(String json, B builder) {
        try {
            PARSER.merge(json, builder);
            return builder;
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("not a valid " + builder.getDescriptorForType().getName() + ": " + json, e);
        }
    }
}
