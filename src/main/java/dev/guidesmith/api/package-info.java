/**
 * The OpenAI-compatible HTTP API under {@code /v1}: thin beans that map requests to the stores
 * ({@link dev.guidesmith.api.FilesApi} for {@code /v1/files}), and what every {@code /v1} call shares:
 * OpenAI's error shape ({@link dev.guidesmith.api.ApiException}, {@link dev.guidesmith.api.ApiErrors}),
 * replies ({@link dev.guidesmith.api.ApiReplies}), lists ({@link dev.guidesmith.api.ApiList}), the API
 * key ({@link dev.guidesmith.api.ApiKeyCheck}) and the answers for requests no route takes
 * ({@link dev.guidesmith.api.ApiFallbacks}). The routes are {@code routes/api-*.camel.yaml}.
 */
package dev.guidesmith.api;
