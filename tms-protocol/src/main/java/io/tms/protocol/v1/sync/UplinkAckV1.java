package io.tms.protocol.v1.sync;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.tms.protocol.v1.Lane;

/**
 * The cloud's answer to a batch: {@code cursor} is the highest seq of the lane it holds, after this
 * batch; {@code applied} events were new, {@code skipped} were already there.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UplinkAckV1(Lane lane, long cursor, int applied, int skipped) {}
