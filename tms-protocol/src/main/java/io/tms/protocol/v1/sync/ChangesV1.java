package io.tms.protocol.v1.sync;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * An answer of the change feed. The site applies {@code changes} in order, in one transaction
 * together with {@code rev}, and asks again after {@code rev}. With {@code snapshot=true} the
 * changes are every record the site should hold at {@code rev} (the site is new or was too far
 * behind). {@code more=true} says the answer was cut short: ask again at once.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChangesV1(long rev, boolean snapshot, boolean more, List<ChangeV1> changes) {}
