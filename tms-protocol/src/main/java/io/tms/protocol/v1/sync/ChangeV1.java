package io.tms.protocol.v1.sync;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** One entry of the change feed: the record as it is after the write that made {@code rev}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChangeV1(long rev, MasterRecordV1 record) {}
