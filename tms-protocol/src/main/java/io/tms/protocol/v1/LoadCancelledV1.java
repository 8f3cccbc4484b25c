package io.tms.protocol.v1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/** A load was cancelled before any product flowed; its holds went back to the reserves. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LoadCancelledV1(String loadId, String bayId, Instant cancelledAt, String reason) {}
