package dev.guidesmith.camel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.batch.BatchItem;
import dev.guidesmith.jobs.ItemFailure;
import dev.guidesmith.jobs.ItemRef;
import dev.guidesmith.stages.WorkItem;
import dev.guidesmith.support.Json;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.Map;
import org.springframework.jms.support.converter.MessageConversionException;
import org.springframework.jms.support.converter.MessageConverter;

/**
 * How an item crosses the broker between stages: as a JSON text message (Jackson), its kind in a
 * message property, read back only into the kinds listed here. Never Java serialization: a node
 * reads no class a message names, and a message stays readable by a node of another build. Only
 * the body crosses; exchange properties do not, so whatever a later stage needs is in the item.
 */
final class QueueBodies implements MessageConverter {

    /** The message property naming the body's kind. */
    static final String KIND = "guidesmithBody";
    /** A failure on its way to its job's node: the kind of the failed item (the body's kind is {@link #FAILED}). */
    static final String ITEM_KIND = "guidesmithItem";
    static final String FAILED = "failed-item";

    private static final Map<String, Class<?>> KINDS = Map.of(
            "work-item", WorkItem.class,
            "batch-item", BatchItem.class,
            // a batch to validate, by its id
            "batch-id", String.class);

    @Override
    public Message toMessage(Object body, Session session) throws JMSException {
        if (body instanceof RelayedFailure failure) {
            TextMessage message = session.createTextMessage(Json.compact(failure));
            message.setStringProperty(KIND, FAILED);
            message.setStringProperty(ITEM_KIND, kindOf(failure.item()));
            return message;
        }
        TextMessage message = session.createTextMessage(Json.compact(body));
        message.setStringProperty(KIND, kindOf(body));
        return message;
    }

    private static String kindOf(Object body) {
        return KINDS.entrySet().stream().filter(entry -> entry.getValue().isInstance(body))
                .map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new MessageConversionException("A " + (body == null ? "null body" : body.getClass().getName())
                        + " cannot cross the broker (pipeline.queue=jms): only " + KINDS.values()
                        + " do. A route sends something else to a stage queue."));
    }

    @Override
    public Object fromMessage(Message message) throws JMSException {
        String kind = message.getStringProperty(KIND);
        if (FAILED.equals(kind) && message instanceof TextMessage text) {
            return failure(text);
        }
        Class<?> type = kind == null ? null : KINDS.get(kind);
        if (type == null || !(message instanceof TextMessage text)) {
            throw new MessageConversionException("Message " + message.getJMSMessageID() + " on "
                    + message.getJMSDestination() + " is not an item this service sent (" + KIND + "=" + kind
                    + "); is another application using the same queue names on pipeline.broker.url?");
        }
        try {
            return Json.MAPPER.readValue(text.getText(), type);
        } catch (JsonProcessingException e) {
            throw new MessageConversionException("Message " + message.getJMSMessageID() + " on "
                    + message.getJMSDestination() + " does not read as a " + kind + ": " + e.getOriginalMessage(), e);
        }
    }

    private static RelayedFailure failure(TextMessage message) throws JMSException {
        Class<?> itemType = KINDS.get(message.getStringProperty(ITEM_KIND));
        try {
            JsonNode failure = Json.MAPPER.readTree(message.getText());
            if (itemType == null) {
                throw new MessageConversionException("Message " + message.getJMSMessageID() + " on "
                        + message.getJMSDestination() + " is a failure of an unknown item kind ("
                        + ITEM_KIND + "=" + message.getStringProperty(ITEM_KIND) + ")");
            }
            return new RelayedFailure((ItemRef) Json.MAPPER.treeToValue(failure.path("item"), itemType),
                    Json.MAPPER.treeToValue(failure.path("failure"), ItemFailure.class),
                    Json.MAPPER.treeToValue(failure.path("cause"), RelayedFailure.Cause.class));
        } catch (JsonProcessingException e) {
            throw new MessageConversionException("Message " + message.getJMSMessageID() + " on "
                    + message.getJMSDestination() + " does not read as a relayed failure: " + e.getOriginalMessage(), e);
        }
    }
}
