package org.optline.storage.kafka;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.optline.core.message.Category;
import org.optline.core.template.RegisteredTemplate;
import org.optline.core.template.Template;
import org.optline.core.template.TemplateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The templates registered through the API, in a compacted topic keyed by (business, name) that
 * every node reads whole: a template registered on one node is in effect on every node once its
 * reader has applied the record (the same lag as a consent change), and the registering node
 * answers only once its own reader has. Two nodes changing the same template at the same moment
 * both write; the later record in Kafka wins on every node.
 */
final class KafkaTemplateStore implements TemplateStore, TableReader.Table {
    private static final Logger log = LoggerFactory.getLogger(KafkaTemplateStore.class);

    private final Map<String, RegisteredTemplate> templates = new ConcurrentHashMap<>();
    private final List<Changes> watchers = new CopyOnWriteArrayList<>();
    private final KafkaEngineContext context;
    private final String topic;

    KafkaTemplateStore(KafkaEngineContext context) {
        this.context = context;
        this.topic = context.topics().name(Topics.TEMPLATES);
    }

    @Override
    public CompletableFuture<List<RegisteredTemplate>> all() {
        return CompletableFuture.completedFuture(new ArrayList<>(templates.values()));
    }

    @Override
    public CompletableFuture<Void> put(RegisteredTemplate template) {
        return write(key(template.businessId(), template.name()), encode(template));
    }

    @Override
    public CompletableFuture<Void> delete(String businessId, String name) {
        return write(key(businessId, name), null);
    }

    @Override
    public void watch(Changes changes) {
        watchers.add(changes);
    }

    private CompletableFuture<Void> write(String key, byte[] value) {
        return context.send(new ProducerRecord<>(topic, 0, key.getBytes(StandardCharsets.UTF_8), value))
                .thenCompose(written -> context.tables().applied(new TopicPartition(topic, written.partition()),
                        written.offset()));
    }

    /** Business ids and template names never hold a NUL: it separates them. */
    private static String key(String businessId, String name) {
        return businessId + '\0' + name;
    }

    @Override
    public void apply(ConsumerRecord<byte[], byte[]> record) {
        String key = new String(record.key(), StandardCharsets.UTF_8);
        int separator = key.indexOf('\0');
        if (separator < 0) {
            return;
        }
        String businessId = key.substring(0, separator);
        String name = key.substring(separator + 1);
        if (record.value() == null) {
            templates.remove(key);
            tell(changes -> changes.deleted(businessId, name));
        } else {
            RegisteredTemplate template = decode(record.value());
            templates.put(key, template);
            tell(changes -> changes.stored(template));
        }
    }

    private void tell(java.util.function.Consumer<Changes> change) {
        for (Changes changes : watchers) {
            try {
                change.accept(changes);
            } catch (RuntimeException e) {
                log.warn("a template registry refused a change read from Kafka: {}", e.toString());
            }
        }
    }

    static byte[] encode(RegisteredTemplate t) {
        return new Codec.Out().str(t.businessId()).str(t.name()).enumValue(t.category()).str(t.template().text())
                .enumValue(t.declared()).i32(t.version()).str(t.review()).time(t.registeredAt()).done();
    }

    static RegisteredTemplate decode(byte[] value) {
        Codec.In in = new Codec.In(value);
        String businessId = in.str();
        Template template = new Template(in.str(), in.enumValue(Category.class), in.str());
        return new RegisteredTemplate(businessId, template, in.enumValue(Category.class), in.i32(), in.str(), in.time(),
                RegisteredTemplate.Source.API);
    }
}
