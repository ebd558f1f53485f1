package org.optline.server.http;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpContentException;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.optline.core.business.Business;
import org.optline.core.consent.ConsentAction;
import org.optline.core.consent.ConsentChange;
import org.optline.core.consent.ConsentClass;
import org.optline.core.consent.ConsentKey;
import org.optline.core.consent.ConsentRequests;
import org.optline.core.consent.ConsentRecord;
import org.optline.core.consent.ConsentSource;
import org.optline.core.consent.ConsentState;
import org.optline.core.consent.ReplyKeywords;
import org.optline.core.message.Outcome;
import org.optline.core.message.Reason;
import org.optline.core.queue.QueuedMessage;
import org.optline.core.recipient.PhoneNumber;
import org.optline.proto.v1.AckRequest;
import org.optline.proto.v1.AckResponse;
import org.optline.proto.v1.ConsentChangeAck;
import org.optline.proto.v1.ConsentRequestBody;
import org.optline.proto.v1.ConsentRequestList;
import org.optline.proto.v1.ConsentHistory;
import org.optline.proto.v1.InboundReply;
import org.optline.proto.v1.ReplyOutcome;
import org.optline.proto.v1.InboxPage;
import org.optline.proto.v1.Message;
import org.optline.proto.v1.MessageStatus;
import org.optline.proto.v1.RecipientConsents;
import org.optline.proto.v1.SubmitMessagesRequest;
import org.optline.proto.v1.SubmitMessagesResponse;
import org.optline.server.ServerContext;
import org.optline.server.wire.Wire;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API of one connection: routes each request, runs it off the event loop where it may
 * wait, and writes the answers in request order (HTTP/1.1 pipelining allows several requests
 * before the first answer). Past {@code http.max-in-flight} unanswered requests, reading pauses.
 */
final class HttpApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(HttpApiHandler.class);
    private static final String MESSAGES = "/v1/messages";
    private static final String CONSENTS = "/v1/consents";
    private static final String INBOX = "/v1/inbox";
    private static final String EVENTS = "/events";
    private static final String REPLIES = "/v1/replies";
    private static final String CONSENT_REQUESTS = "/v1/consent-requests";
    private static final String RECIPIENTS = "/v1/recipients";
    private static final String ACK = "/ack";
    /** A page of the inbox: enough for a phone's sync, small enough for one response. */
    private static final int DEFAULT_INBOX_PAGE = 100;
    private static final int MAX_INBOX_PAGE = 1_000;
    private static final int MAX_ID_LENGTH = 64;

    private final ServerContext server;
    private final ArrayDeque<CompletableFuture<FullHttpResponse>> unanswered = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    /** Set after a request that could not be read: answer what is queued, then close. */
    private boolean closeWhenAnswered;

    HttpApiHandler(ServerContext server) {
        this.server = server;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (closeWhenAnswered) {
            return;
        }
        // In flight from now until its answer is written, so that a shutdown waits for the answer.
        server.lifecycle().started();
        if (request.decoderResult().isFailure()) {
            // The stream position is unknown after this: answer in turn, read nothing more, close.
            closeWhenAnswered = true;
            ctx.channel().config().setAutoRead(false);
            unanswered.addLast(CompletableFuture.completedFuture(unreadable(request.decoderResult().cause())));
            writeAnswered();
            return;
        }
        CompletableFuture<FullHttpResponse> answer;
        try {
            answer = route(request);
        } catch (HttpError e) {
            answer = CompletableFuture.completedFuture(error(e));
        } catch (RuntimeException bug) {
            // Still answered, in order, and still counted out: a bug must not leave a request hanging.
            log.error("unexpected failure routing an HTTP request", bug);
            answer = CompletableFuture.completedFuture(internalError());
        }
        unanswered.addLast(answer);
        if (unanswered.size() >= server.config().httpMaxInFlight()) {
            ctx.channel().config().setAutoRead(false);
        }
        if (answer.isDone()) {
            writeAnswered();
        } else {
            answer.whenComplete((response, failure) -> ctx.executor().execute(this::writeAnswered));
        }
    }

    /** Writes every answer at the head of the queue that is ready, in request order. */
    private void writeAnswered() {
        boolean wrote = false;
        while (!unanswered.isEmpty() && unanswered.peekFirst().isDone()) {
            ctx.write(responseOf(unanswered.pollFirst())).addListener(written -> server.lifecycle().finished());
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
        }
        if (closeWhenAnswered) {
            if (unanswered.isEmpty()) {
                ctx.close();
            }
            return;
        }
        if (!ctx.channel().config().isAutoRead() && unanswered.size() <= server.config().httpMaxInFlight() / 2) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    private FullHttpResponse responseOf(CompletableFuture<FullHttpResponse> answer) {
        try {
            return answer.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpError httpError) {
                return error(httpError);
            }
            log.error("unexpected failure answering an HTTP request", cause);
            return internalError();
        }
    }

    private static FullHttpResponse internalError() {
        return Bodies.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "INTERNAL", "unexpected server error", false);
    }

    private CompletableFuture<FullHttpResponse> route(FullHttpRequest request) throws HttpError {
        // The raw path: a decoded one would have turned %2F into a separator and %2B into '+' too early.
        String path = new QueryStringDecoder(request.uri()).rawPath();
        HttpMethod method = request.method();
        switch (path) {
            case "/health/live":
                requireMethod(method, HttpMethod.GET);
                return done(Bodies.text(HttpResponseStatus.OK, Bodies.JSON, "{\"status\":\"UP\"}"));
            case "/health/ready":
                requireMethod(method, HttpMethod.GET);
                return done(server.lifecycle().isReady()
                        ? Bodies.text(HttpResponseStatus.OK, Bodies.JSON, "{\"status\":\"READY\"}")
                        : Bodies.text(HttpResponseStatus.SERVICE_UNAVAILABLE, Bodies.JSON, "{\"status\":\"NOT_READY\"}"));
            case "/metrics":
                requireMethod(method, HttpMethod.GET);
                return done(Bodies.text(HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8",
                        server.registry().scrape()));
            default:
                break;
        }
        if (!server.lifecycle().isReady()) {
            throw new HttpError(HttpResponseStatus.SERVICE_UNAVAILABLE, "SHUTTING_DOWN",
                    "the gateway is shutting down; retry on another node");
        }
        if (path.equals(MESSAGES)) {
            requireMethod(method, HttpMethod.POST);
            return submit(request);
        }
        if (path.startsWith(MESSAGES + "/")) {
            requireMethod(method, HttpMethod.GET);
            return messageStatus(request, path.substring(MESSAGES.length() + 1));
        }
        if (path.equals(CONSENTS)) {
            requireMethod(method, HttpMethod.PUT);
            return changeConsent(request);
        }
        if (path.startsWith(CONSENTS + "/") && path.endsWith(EVENTS)) {
            requireMethod(method, HttpMethod.GET);
            return exportHistory(request, path.substring(CONSENTS.length() + 1, path.length() - EVENTS.length()));
        }
        if (path.startsWith(RECIPIENTS + "/")) {
            requireMethod(method, HttpMethod.DELETE);
            return erase(request, path.substring(RECIPIENTS.length() + 1));
        }
        if (path.equals(CONSENT_REQUESTS)) {
            requireMethod(method, HttpMethod.POST);
            return askForConsent(request);
        }
        if (path.startsWith(CONSENT_REQUESTS + "/")) {
            requireMethod(method, HttpMethod.GET);
            return consentRequestsOf(request, path.substring(CONSENT_REQUESTS.length() + 1));
        }
        if (path.equals(REPLIES)) {
            requireMethod(method, HttpMethod.POST);
            return reply(request);
        }
        if (path.startsWith(CONSENTS + "/")) {
            requireMethod(method, HttpMethod.GET);
            return readConsents(request, path.substring(CONSENTS.length() + 1));
        }
        if (path.startsWith(INBOX + "/") && path.endsWith(ACK)) {
            requireMethod(method, HttpMethod.POST);
            return acknowledge(request, path.substring(INBOX.length() + 1, path.length() - ACK.length()));
        }
        if (path.startsWith(INBOX + "/")) {
            requireMethod(method, HttpMethod.GET);
            return readInbox(request, path.substring(INBOX.length() + 1));
        }
        throw new HttpError(HttpResponseStatus.NOT_FOUND, "NOT_FOUND", "no such endpoint");
    }

    /**
     * A business asks a recipient for consent (business key): 200 with the open request, 409 when
     * the person already has a record for the class, 429 with Retry-After during the cool-down.
     */
    private CompletableFuture<FullHttpResponse> askForConsent(FullHttpRequest request) throws HttpError {
        Business business = business(request);
        boolean protobufIn = Bodies.isProtobufBody(request);
        boolean protobufOut = Bodies.wantsProtobuf(request.headers(), protobufIn);
        ConsentRequestBody body = Bodies.read(request, protobufIn, ConsentRequestBody.newBuilder()).build();
        PhoneNumber recipient = recipient(body.getRecipient());
        ConsentClass consentClass = Wire.consentClass(body.getConsentClass());
        if (consentClass == null) {
            throw invalidBody("consentClass is required: TRANSACTIONAL_CLASS or MARKETING_CLASS");
        }
        return offEventLoop(() -> server.consentRequests().ask(business.id(), recipient, consentClass).join())
                .thenApply(asked -> {
                    if (asked instanceof ConsentRequests.Asked.Open open) {
                        return Bodies.response(HttpResponseStatus.OK, Wire.requestStatus(open.status()), protobufOut);
                    }
                    if (asked instanceof ConsentRequests.Asked.CoolingDown coolingDown) {
                        long seconds = Math.max(1, java.time.Duration.between(server.clock().instant(),
                                coolingDown.askAgainAfter()).toSeconds());
                        FullHttpResponse response = Bodies.error(HttpResponseStatus.TOO_MANY_REQUESTS, "COOLING_DOWN",
                                "this business asked for this class recently; ask again after "
                                        + coolingDown.askAgainAfter(), false);
                        response.headers().set(HttpHeaderNames.RETRY_AFTER, seconds);
                        return response;
                    }
                    return Bodies.error(HttpResponseStatus.CONFLICT, "ALREADY_DECIDED",
                            "the recipient already decided about this class for this business", false);
                });
    }

    /** The asking business's own requests to a recipient (business key); nobody else's are visible. */
    private CompletableFuture<FullHttpResponse> consentRequestsOf(FullHttpRequest request, String rawSegment)
            throws HttpError {
        Business business = business(request);
        boolean protobufOut = Bodies.wantsProtobuf(request.headers(), false);
        PhoneNumber recipient = recipient(decodeSegment(rawSegment));
        return offEventLoop(() -> {
            ConsentRequestList.Builder list = ConsentRequestList.newBuilder();
            for (ConsentClass consentClass : ConsentClass.values()) {
                server.consentRequests().status(business.id(), recipient, consentClass)
                        .ifPresent(status -> list.addRequests(Wire.requestStatus(status)));
            }
            return Bodies.response(HttpResponseStatus.OK, list.build(), protobufOut);
        });
    }

    /**
     * Right to erasure (platform credential): the person's consents, audit trail, queued messages
     * and their idempotency entries go; a record that the erasure happened stays under a keyed
     * hash. Acknowledged only once durable; every message submitted after it is NOT_OPTED_IN.
     */
    private CompletableFuture<FullHttpResponse> erase(FullHttpRequest request, String rawSegment) throws HttpError {
        requirePlatform(request);
        boolean protobufOut = Bodies.wantsProtobuf(request.headers(), false);
        PhoneNumber recipient = recipient(decodeSegment(rawSegment));
        return offEventLoop(() -> {
            java.time.Instant at = server.clock().instant();
            String erasureId = org.optline.core.consent.Erasure.id(server.erasureSecret(), recipient);
            server.consents().erase(recipient, erasureId, at).join();
            List<QueuedMessage> removed = server.queues().erase(recipient).join();
            removed.forEach(message -> server.admission().forgetOutcome(message.businessId(),
                    message.clientMessageId()));
            return Bodies.response(HttpResponseStatus.OK, org.optline.proto.v1.ErasureAck.newBuilder()
                    .setErasedAt(at.toString())
                    .setErasureId(erasureId)
                    .setMessagesRemoved(removed.size())
                    .build(), protobufOut);
        });
    }

    /** The person's whole audit trail, for export (platform credential). */
    private CompletableFuture<FullHttpResponse> exportHistory(FullHttpRequest request, String rawSegment)
            throws HttpError {
        requirePlatform(request);
        boolean protobufOut = Bodies.wantsProtobuf(request.headers(), false);
        PhoneNumber recipient = recipient(decodeSegment(rawSegment));
        return offEventLoop(() -> server.consents().history(recipient)).thenApply(history -> {
            ConsentHistory.Builder answer = ConsentHistory.newBuilder().setRecipient(recipient.e164());
            history.forEach(change -> answer.addEvents(Wire.event(change)));
            return Bodies.response(HttpResponseStatus.OK, answer.build(), protobufOut);
        });
    }

    /**
     * A person's reply to a business, from the messaging channel (platform credential): a STOP
     * keyword opts out before the answer, like any consent change.
     */
    private CompletableFuture<FullHttpResponse> reply(FullHttpRequest request) throws HttpError {
        requirePlatform(request);
        boolean protobufIn = Bodies.isProtobufBody(request);
        boolean protobufOut = Bodies.wantsProtobuf(request.headers(), protobufIn);
        InboundReply body = Bodies.read(request, protobufIn, InboundReply.newBuilder()).build();
        PhoneNumber recipient = recipient(body.getRecipient());
        if (server.directory().byId(body.getBusinessId()).isEmpty()) {
            throw new HttpError(HttpResponseStatus.NOT_FOUND, "UNKNOWN_BUSINESS", "no business with this id");
        }
        return offEventLoop(() -> {
            List<ConsentChange> changes = ReplyKeywords.changes(body.getText(), recipient, body.getBusinessId(),
                    server.consents().history(recipient), server.clock().instant());
            // One after the other, each durable before the next, all before the answer.
            for (ConsentChange change : changes) {
                server.consents().apply(change).join();
            }
            ReplyOutcome.Builder outcome = ReplyOutcome.newBuilder().setKeyword(ReplyKeywords.keyword(body.getText()));
            changes.forEach(change -> outcome.addChanges(Wire.event(change)));
            return Bodies.response(HttpResponseStatus.OK, outcome.build(), protobufOut);
        });
    }

    /** The delivery side reads a recipient's oldest queued messages (platform credential). */
    private CompletableFuture<FullHttpResponse> readInbox(FullHttpRequest request, String rawSegment)
            throws HttpError {
        requirePlatform(request);
        boolean protobufOut = Bodies.wantsProtobuf(request.headers(), false);
        PhoneNumber recipient = recipient(decodeSegment(rawSegment));
        int max = pageSize(new QueryStringDecoder(request.uri()).parameters().get("max"));
        return offEventLoop(() -> server.queues().peek(recipient, max)).thenApply(messages -> {
            InboxPage.Builder page = InboxPage.newBuilder();
            for (QueuedMessage message : messages) {
                page.addMessages(org.optline.proto.v1.QueuedMessage.newBuilder()
                        .setMessageId(message.messageId())
                        .setBusinessId(message.businessId())
                        .setCategory(Wire.category(message.category()))
                        .setText(message.text())
                        .setAcceptedAt(message.acceptedAt().toString())
                        .setTtlSeconds(message.ttlSeconds())
                        .setCampaignId(message.campaignId()));
            }
            return Bodies.response(HttpResponseStatus.OK, page.build(), protobufOut);
        });
    }

    /** The delivery side acknowledges delivered messages, which then leave the queue and the disk. */
    private CompletableFuture<FullHttpResponse> acknowledge(FullHttpRequest request, String rawSegment)
            throws HttpError {
        requirePlatform(request);
        boolean protobufIn = Bodies.isProtobufBody(request);
        boolean protobufOut = Bodies.wantsProtobuf(request.headers(), protobufIn);
        PhoneNumber recipient = recipient(decodeSegment(rawSegment));
        List<String> ids = Bodies.read(request, protobufIn, AckRequest.newBuilder()).getMessageIdsList();
        if (ids.size() > MAX_INBOX_PAGE) {
            throw new HttpError(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "BATCH_TOO_LARGE",
                    "acknowledge at most " + MAX_INBOX_PAGE + " messages at once");
        }
        return offEventLoop(() -> server.queues().acknowledge(recipient, ids)).thenApply(removed ->
                Bodies.response(HttpResponseStatus.OK, AckResponse.newBuilder().setRemoved(removed).build(),
                        protobufOut));
    }

    private static int pageSize(List<String> values) throws HttpError {
        if (values == null || values.isEmpty()) {
            return DEFAULT_INBOX_PAGE;
        }
        try {
            int max = Integer.parseInt(values.get(0));
            if (max >= 1 && max <= MAX_INBOX_PAGE) {
                return max;
            }
        } catch (NumberFormatException e) {
            // Answered below, like any other value out of range.
        }
        throw invalidBody("max must be a whole number from 1 to " + MAX_INBOX_PAGE);
    }

    private CompletableFuture<FullHttpResponse> submit(FullHttpRequest request) throws HttpError {
        Business business = business(request);
        boolean protobufIn = Bodies.isProtobufBody(request);
        boolean protobufOut = Bodies.wantsProtobuf(request.headers(), protobufIn);
        boolean single = !protobufIn && !isBatchJson(request);
        List<Message> messages = single
                ? List.of(Bodies.read(request, false, Message.newBuilder()).build())
                : Bodies.read(request, protobufIn, SubmitMessagesRequest.newBuilder()).getMessagesList();
        if (messages.isEmpty()) {
            throw new HttpError(HttpResponseStatus.BAD_REQUEST, "INVALID_BODY", "the request carries no message");
        }
        int maxBatch = server.admission().policy().maxBatchSize();
        if (messages.size() > maxBatch) {
            throw new HttpError(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "BATCH_TOO_LARGE",
                    "a request carries at most " + maxBatch + " messages, this one " + messages.size());
        }
        return server.admission().admit(business, Wire.submissions(messages))
                .thenApply(outcomes -> {
                    HttpResponseStatus status = statusOf(outcomes);
                    FullHttpResponse response = single
                            ? Bodies.response(status, Wire.result(outcomes.get(0)), protobufOut)
                            : Bodies.response(status,
                                    SubmitMessagesResponse.newBuilder().addAllResults(Wire.results(outcomes)).build(),
                                    protobufOut);
                    if (status != HttpResponseStatus.OK) {
                        long retryMillis = outcomes.stream().mapToLong(Outcome::retryAfterMillis).max().orElse(1000);
                        response.headers().set(HttpHeaderNames.RETRY_AFTER, Math.max(1, (retryMillis + 999) / 1000));
                    }
                    return response;
                });
    }

    /**
     * 200 when the request got definite per-message answers; 429 or 503 with Retry-After when
     * every message was refused for the same retryable reason, so that generic HTTP clients
     * back off without reading the body.
     */
    private static HttpResponseStatus statusOf(List<Outcome> outcomes) {
        Reason first = outcomes.get(0).reason();
        boolean allSame = outcomes.stream().allMatch(o -> o.reason() == first);
        if (allSame && first == Reason.RATE_LIMITED) {
            return HttpResponseStatus.TOO_MANY_REQUESTS;
        }
        if (allSame && first == Reason.OVERLOADED) {
            return HttpResponseStatus.SERVICE_UNAVAILABLE;
        }
        return HttpResponseStatus.OK;
    }

    private CompletableFuture<FullHttpResponse> messageStatus(FullHttpRequest request, String messageId)
            throws HttpError {
        Business business = business(request);
        boolean protobufOut = Bodies.wantsProtobuf(request.headers(), false);
        if (messageId.isEmpty() || messageId.length() > MAX_ID_LENGTH) {
            throw notFound();
        }
        return offEventLoop(() -> server.queues().find(messageId))
                .thenApply(found -> {
                    // Another business's message is answered exactly like a missing one.
                    Optional<QueuedMessage> own = found.filter(m -> m.businessId().equals(business.id()));
                    if (own.isEmpty()) {
                        return error(notFound());
                    }
                    QueuedMessage message = own.get();
                    return Bodies.response(HttpResponseStatus.OK, MessageStatus.newBuilder()
                            .setMessageId(message.messageId())
                            .setClientMessageId(message.clientMessageId())
                            .setCategory(Wire.category(message.category()))
                            .setState(MessageStatus.State.QUEUED)
                            .setAcceptedAt(message.acceptedAt().toString())
                            .setRecipientMasked(message.recipient().masked())
                            .build(), protobufOut);
                });
    }

    private CompletableFuture<FullHttpResponse> changeConsent(FullHttpRequest request) throws HttpError {
        requirePlatform(request);
        boolean protobufIn = Bodies.isProtobufBody(request);
        boolean protobufOut = Bodies.wantsProtobuf(request.headers(), protobufIn);
        org.optline.proto.v1.ConsentChange body =
                Bodies.read(request, protobufIn, org.optline.proto.v1.ConsentChange.newBuilder()).build();
        PhoneNumber recipient = recipient(body.getRecipient());
        ConsentAction action = Wire.action(body.getAction());
        if (action == null) {
            throw invalidBody("action is required: one of OPT_IN, OPT_OUT, BLOCK, UNBLOCK, MARKETING_OFF, MARKETING_ON");
        }
        ConsentClass consentClass = Wire.consentClass(body.getConsentClass());
        if (action.needsClass() && consentClass == null) {
            throw invalidBody(action + " needs consentClass TRANSACTIONAL_CLASS or MARKETING_CLASS");
        }
        String businessId = action.isRecipientWide() ? ConsentKey.EVERY_BUSINESS : body.getBusinessId();
        if (!action.isRecipientWide() && server.directory().byId(businessId).isEmpty()) {
            throw new HttpError(HttpResponseStatus.NOT_FOUND, "UNKNOWN_BUSINESS", "no business with this id");
        }
        // Unset source means the platform's own API call.
        ConsentSource source = Optional.ofNullable(Wire.source(body.getSource())).orElse(ConsentSource.API);
        ConsentChange change = new ConsentChange(recipient, businessId, action,
                action.needsClass() ? consentClass : null, source, body.getWordingVersion(), server.clock().instant());
        return offEventLoop(() -> server.consents().apply(change))
                .thenCompose(applied -> applied)
                .thenApply(ok -> Bodies.response(HttpResponseStatus.OK,
                        ConsentChangeAck.newBuilder().setRecordedAt(change.at().toString()).build(), protobufOut));
    }

    private CompletableFuture<FullHttpResponse> readConsents(FullHttpRequest request, String rawSegment)
            throws HttpError {
        requirePlatform(request);
        boolean protobufOut = Bodies.wantsProtobuf(request.headers(), false);
        PhoneNumber recipient = recipient(decodeSegment(rawSegment));
        return offEventLoop(() -> server.consents().recipientRecords(recipient))
                .thenApply(records -> {
                    RecipientConsents.Builder answer = RecipientConsents.newBuilder().setRecipient(recipient.e164());
                    for (Map.Entry<String, ConsentRecord> entry : records.entrySet()) {
                        if (entry.getKey().equals(ConsentKey.EVERY_BUSINESS)) {
                            answer.setMarketingOffEverywhere(entry.getValue().marketing() == ConsentState.OPTED_OUT);
                        } else {
                            answer.addBusinesses(Wire.businessConsent(entry.getKey(), entry.getValue()));
                        }
                    }
                    return Bodies.response(HttpResponseStatus.OK, answer.build(), protobufOut);
                });
    }

    /** Runs a store operation on the store executor; a saturated executor is a 503, not a dropped request. */
    private <T> CompletableFuture<T> offEventLoop(java.util.function.Supplier<T> storeOperation) throws HttpError {
        try {
            return CompletableFuture.supplyAsync(storeOperation, server.storeExecutor());
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new HttpError(HttpResponseStatus.SERVICE_UNAVAILABLE, "OVERLOADED",
                    "the store is busy; retry shortly");
        }
    }

    private Business business(FullHttpRequest request) throws HttpError {
        return server.directory().authenticate(bearer(request)).orElseThrow(() -> new HttpError(
                HttpResponseStatus.UNAUTHORIZED, "UNAUTHENTICATED", "a valid business API key is required"));
    }

    private void requirePlatform(FullHttpRequest request) throws HttpError {
        String key = bearer(request);
        if (server.directory().isPlatform(key)) {
            return;
        }
        if (server.directory().authenticate(key).isPresent()) {
            throw new HttpError(HttpResponseStatus.FORBIDDEN, "FORBIDDEN",
                    "this endpoint takes the platform credential, never a business key");
        }
        throw new HttpError(HttpResponseStatus.UNAUTHORIZED, "UNAUTHENTICATED", "the platform credential is required");
    }

    private static String bearer(FullHttpRequest request) {
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return "";
        }
        return header.substring(7).trim();
    }

    private static PhoneNumber recipient(String number) throws HttpError {
        return PhoneNumber.parse(number).orElseThrow(() -> new HttpError(HttpResponseStatus.BAD_REQUEST,
                "INVALID_RECIPIENT", "recipient must be a valid E.164 number such as +14155550123"));
    }

    private static boolean isBatchJson(FullHttpRequest request) throws HttpError {
        try {
            JsonElement tree = JsonParser.parseString(request.content().toString(StandardCharsets.UTF_8));
            return tree.isJsonObject() && tree.getAsJsonObject().has("messages");
        } catch (RuntimeException e) {
            throw invalidBody("the body is not valid JSON");
        }
    }

    /** Percent-decodes a path segment; unlike a query, a literal '+' in a path is a plus, not a space. */
    private static String decodeSegment(String raw) throws HttpError {
        try {
            return QueryStringDecoder.decodeComponent(raw.replace("+", "%2B"));
        } catch (IllegalArgumentException e) {
            // The decoder's message quotes the input, which may be a number: never pass it on.
            throw new HttpError(HttpResponseStatus.BAD_REQUEST, "INVALID_RECIPIENT",
                    "the path segment is not validly percent-encoded");
        }
    }

    private static void requireMethod(HttpMethod actual, HttpMethod expected) throws HttpError {
        if (!actual.equals(expected)) {
            throw new HttpError(HttpResponseStatus.METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED",
                    "this endpoint takes " + expected.name(), expected);
        }
    }

    private static HttpError invalidBody(String detail) {
        return new HttpError(HttpResponseStatus.BAD_REQUEST, "INVALID_BODY", detail);
    }

    private static HttpError notFound() {
        return new HttpError(HttpResponseStatus.NOT_FOUND, "NOT_FOUND", "no message with this id");
    }

    private static CompletableFuture<FullHttpResponse> done(FullHttpResponse response) {
        return CompletableFuture.completedFuture(response);
    }

    /** Errors are always JSON, whatever the request asked for: the one form every client can read. */
    private static FullHttpResponse error(HttpError e) {
        FullHttpResponse response = Bodies.error(e.status, e.reason, e.getMessage(), false);
        if (e.allow != null) {
            response.headers().set(HttpHeaderNames.ALLOW, e.allow.name());
        }
        if (e.status.equals(HttpResponseStatus.UNAUTHORIZED)) {
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
        }
        if (e.status.equals(HttpResponseStatus.SERVICE_UNAVAILABLE)) {
            response.headers().set(HttpHeaderNames.RETRY_AFTER, 1);
        }
        return response;
    }

    /** The answer to a request the codec could not read: too long a line, headers or body, or not HTTP. */
    private static FullHttpResponse unreadable(Throwable cause) {
        FullHttpResponse response;
        if (cause instanceof TooLongHttpContentException) {
            response = Bodies.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "PAYLOAD_TOO_LARGE",
                    cause.getMessage(), false);
        } else if (cause instanceof TooLongFrameException) {
            response = Bodies.error(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "HEADERS_TOO_LARGE",
                    "the request line or headers exceed the limit", false);
        } else {
            response = Bodies.error(HttpResponseStatus.BAD_REQUEST, "MALFORMED_REQUEST",
                    "the request is not valid HTTP/1.1", false);
        }
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return response;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent && unanswered.isEmpty()) {
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A peer that resets or closes mid-request is ordinary network life, not worth a warning.
        if (!(cause instanceof IOException) && !(cause instanceof io.netty.handler.codec.PrematureChannelClosureException)
                && !(cause instanceof io.netty.handler.codec.DecoderException)) {
            log.warn("closing an HTTP connection after an unexpected error", cause);
        }
        ctx.close();
    }
}
