package dev.guidesmith.batch;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import dev.guidesmith.jobs.RejectedFileException;
import dev.guidesmith.support.Json;
import dev.guidesmith.support.Templates;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Turns a batch job file and its table into an OpenAI batch input file: one chat request per row,
 * its {@code custom_id} the row's id column (or its number), the rubric as the system message and
 * the prompt template rendered over the row's columns as the user message. The batch then runs like
 * any other. Rows are streamed: a million-row table is fine.
 */
final class BatchJobCompiler {

    private BatchJobCompiler() {
    }

    /**
     * @throws RejectedFileException when the table is missing, or the template or id uses a column the
     *                               table lacks (the column is named)
     */
    static void compile(BatchJobFile job, String name, Path target) {
        if (!Files.isRegularFile(job.input())) {
            throw new RejectedFileException(name + ": its input " + job.input() + " is not there; put the table beside the"
                    + " job file (input is read relative to it) before dropping the job file", null);
        }
        Template template;
        try {
            template = Templates.compile(job.prompt());
        } catch (MustacheException e) {
            throw new RejectedFileException(name + ": the prompt is not a valid Mustache template: " + e.getMessage(), e);
        }
        try (TableRows rows = TableRows.open(job.input());
             BufferedWriter out = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
            boolean checked = false;
            while (rows.hasNext()) {
                TableRows.Row row = rows.next();
                if (!checked) {
                    checkColumns(job, template, rows.columns(), name);
                    checked = true;
                }
                String customId = job.id() == null ? Long.toString(row.number()) : row.values().get(job.id());
                if (customId == null || customId.isBlank()) {
                    throw new RejectedFileException(name + ": row " + row.number() + " of " + job.input().getFileName()
                            + " has no " + job.id() + " (the id column): every row needs one", null);
                }
                out.write(Json.compact(request(job, customId, template.execute(row.values()))));
                out.write('\n');
            }
            if (!checked) {
                throw new RejectedFileException(name + ": its input " + job.input().getFileName() + " has no rows", null);
            }
        } catch (IOException e) {
            throw new RejectedFileException(name + ": its input " + job.input() + " cannot be read: " + e.getMessage(), e);
        } catch (UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            throw new RejectedFileException(name + ": its input " + job.input().getFileName() + " is not a table of rows: "
                    + e.getMessage(), e);
        }
    }

    private static void checkColumns(BatchJobFile job, Template template, Iterable<String> columns, String name) {
        Set<String> known = new LinkedHashSet<>();
        columns.forEach(known::add);
        Set<String> used = new LinkedHashSet<>(Templates.names(template));
        if (job.id() != null) {
            used.add(job.id());
        }
        for (String column : used) {
            if (!known.contains(column)) {
                throw new RejectedFileException(name + ": the " + (column.equals(job.id()) ? "id" : "prompt") + " uses the column '"
                        + column + "', which " + job.input().getFileName() + " does not have (its columns: "
                        + String.join(", ", known) + ")", null);
            }
        }
    }

    private static ObjectNode request(BatchJobFile job, String customId, String prompt) {
        ObjectNode line = Json.MAPPER.createObjectNode();
        line.put("custom_id", customId);
        line.put("method", "POST");
        line.put("url", BatchEndpoint.CHAT_COMPLETIONS.url());
        ObjectNode body = line.putObject("body");
        body.put("model", job.model());
        ArrayNode messages = body.putArray("messages");
        if (job.system() != null) {
            messages.addObject().put("role", "system").put("content", job.system());
        }
        messages.addObject().put("role", "user").put("content", prompt);
        if (job.maxTokens() != null) {
            body.put("max_tokens", job.maxTokens());
        }
        if (job.temperature() != null) {
            body.put("temperature", job.temperature());
        }
        if (job.schema() != null) {
            ObjectNode format = body.putObject("response_format");
            format.put("type", "json_schema");
            ObjectNode schema = format.putObject("json_schema");
            schema.put("name", "answer");
            schema.set("schema", job.schema());
        }
        return line;
    }
}
