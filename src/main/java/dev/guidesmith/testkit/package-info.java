/**
 * One way to run the service under test or benchmark: in this JVM ({@link InJvmService}) or as an
 * operating-system process ({@link ServiceProcess}), with its folders under one root, on a free
 * port, driven as a user would (files dropped into the inbox) and watched through {@code /status};
 * generated workloads ({@link Workloads}) and heap watching ({@link HeapWatch}) for benchmarks.
 * Tests and benchmarks both use it; nothing in the service itself does.
 */
package dev.guidesmith.testkit;
