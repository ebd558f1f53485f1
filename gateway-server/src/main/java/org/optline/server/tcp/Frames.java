package org.optline.server.tcp;

import java.util.List;
import org.optline.core.message.Outcome;
import org.optline.proto.v1.Authenticated;
import org.optline.proto.v1.Error;
import org.optline.proto.v1.ErrorCode;
import org.optline.proto.v1.Pong;
import org.optline.proto.v1.ServerFrame;
import org.optline.proto.v1.SubmitResponse;
import org.optline.server.wire.MessageWire;

/** The frames the server sends; the domain's part of them is converted by the wire layer. */
final class Frames {
    private Frames() {}

    static ServerFrame authenticated(String businessId, int maxBatchSize, int maxInFlight) {
        return ServerFrame.newBuilder().setAuthenticated(Authenticated.newBuilder()
                .setBusinessId(businessId)
                .setMaxBatchSize(maxBatchSize)
                .setMaxInFlight(maxInFlight)).build();
    }

    static ServerFrame result(long requestId, List<Outcome> outcomes) {
        return ServerFrame.newBuilder().setResult(SubmitResponse.newBuilder()
                .setRequestId(requestId)
                .addAllResults(MessageWire.results(outcomes))).build();
    }

    static ServerFrame pong(long nonce) {
        return ServerFrame.newBuilder().setPong(Pong.newBuilder().setNonce(nonce)).build();
    }

    static ServerFrame error(ErrorCode code, String detail, long requestId) {
        return ServerFrame.newBuilder().setError(Error.newBuilder()
                .setCode(code)
                .setDetail(detail)
                .setRequestId(requestId)).build();
    }

    /** An error that closes the connection and says when a new one may succeed. */
    static ServerFrame retryableError(ErrorCode code, String detail, long retryAfterMs) {
        return ServerFrame.newBuilder().setError(Error.newBuilder()
                .setCode(code)
                .setDetail(detail)
                .setRetryAfterMs(retryAfterMs)).build();
    }

    /** The last frame every TCP client gets when the node shuts down. */
    static ServerFrame shutdownNotice() {
        return error(ErrorCode.SHUTTING_DOWN, "the gateway is shutting down; reconnect elsewhere", 0);
    }
}
