package dev.guidesmith.support;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * This node's name among several: {@code pipeline.node-id}, by default the host name and the
 * process id ({@code box-12345}), so two services on one machine differ too.
 */
public final class NodeId {

    private NodeId() {
    }

    public static String from(Settings settings) {
        return settings.find("pipeline.node-id").orElseGet(NodeId::hostAndPid);
    }

    private static String hostAndPid() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = System.getenv().getOrDefault("HOSTNAME", "localhost");
        }
        return host + "-" + ProcessHandle.current().pid();
    }
}
