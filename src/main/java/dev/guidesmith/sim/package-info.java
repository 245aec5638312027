/**
 * A simulated LLM server for tests, benchmarks and the demo: {@link dev.guidesmith.sim.SimulatedModelServer}.
 * {@link dev.guidesmith.sim.SimModelApi} offers it to the service as {@code llm.endpoint.<name>.api=sim}; the
 * service's {@code llm} package does not know it.
 *
 * <h2>Endpoints (all on one 127.0.0.1 port)</h2>
 * <ul>
 *   <li>Ollama: {@code POST /api/chat}, {@code POST /api/generate} (NDJSON, {@code stream} defaults to true;
 *       {@code format} "json" or a schema; {@code options.num_predict}, {@code options.num_ctx}),
 *       {@code GET /api/version}, {@code /api/tags}, {@code /api/ps}, {@code GET /}.</li>
 *   <li>OpenAI-compatible: {@code POST /v1/chat/completions} and the legacy {@code POST /v1/completions} (SSE
 *       ending {@code data: [DONE]}, {@code max_tokens}, {@code stream_options.include_usage}, {@code stop},
 *       {@code seed}, {@code response_format} json_schema / json_object), {@code GET /v1/models}.</li>
 *   <li>llama-server: {@code POST /completion} (SSE without {@code [DONE]}, {@code n_predict}, {@code json_schema},
 *       {@code cache_prompt}, {@code stop}), {@code GET /health}, {@code /props}, {@code /slots},
 *       {@code POST /apply-template}.</li>
 * </ul>
 *
 * <h2>Model</h2>
 * A token is 4 characters, for prompts (ceil(characters / 4) of all message contents) and replies. A full reply is
 * {@code replyTokens} long (plus {@code replyTokensPerPromptToken} per prompt token, so work can vary with the
 * problem); it takes {@code uncachedPromptTokens x promptTokenLatency / speed} before the first token
 * and {@code outputTokens x tokenLatency / speed} in all. At most {@code slots} requests are processed at once; the others
 * wait inside the server, first come first served, without limit.
 *
 * <h2>Prompt cache</h2>
 * Each slot remembers the text it last processed (prompt, then reply; see {@code SlotPrompts}).
 * A request reuses the prefix its prompt shares with its slot's text (whole tokens, never the last prompt token):
 * those tokens cost no {@code promptTokenLatency} and each API reports them in its own fields (OpenAI
 * {@code usage.prompt_tokens_details.cached_tokens}; llama-server {@code timings.cache_n}; Ollama
 * {@code prompt_eval_cached_count}), while the prompt counts stay the whole prompt, as the real servers report them.
 * Of several free slots a request takes the one holding most of its prompt (llama-server's choice, see
 * {@code SlotPool}). {@code cache_prompt: false} (llama-server) turns reuse off for one request,
 * {@link dev.guidesmith.sim.SimSettings#promptCache()} for the server. A prompt of more than the context is refused
 * (llama-server's and Ollama's bodies); llama-server and OpenAI replies also stop when prompt + output reach the
 * context ({@code length}, {@code truncated}); Ollama replies do not (Ollama shifts the context).
 *
 * <h2>Counting</h2>
 * See {@link dev.guidesmith.sim.SimCounters}: "inside" (arrived, not yet finished: processing or waiting) versus
 * "processing" (holding a slot), their maxima, outcomes, work in seconds, and one
 * {@link dev.guidesmith.sim.CallRecord} per request. A call is finished and booked just before the server writes
 * the bytes that complete its reply, so when a client has its answer the counters already show it.
 *
 * <h2>Faults</h2>
 * See {@link dev.guidesmith.sim.SimFaults}; change them at runtime with
 * {@link dev.guidesmith.sim.SimulatedModelServer#setFaults}.
 */
package dev.guidesmith.sim;
