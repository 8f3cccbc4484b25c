package io.tms.protocol.v1.sync;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.tms.protocol.v1.Lane;
import java.util.List;

/**
 * A batch of consecutive outbox events of one lane: {@code events[0].seq == fromSeq}, and
 * {@code prevHash} is the hash of event {@code fromSeq - 1} ({@link io.tms.protocol.v1.EventHash#GENESIS}
 * for the first).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UplinkBatchV1(String siteCode, Lane lane, long fromSeq, String prevHash, List<EdgeEventV1> events) {}
