package io.tms.agent.security;

/** A kiosk or bay controller allowed to call the terminal API; {@code kind} is e.g. KIOSK or BAY_CONTROLLER. */
public record Terminal(String id, String name, String kind) {}
