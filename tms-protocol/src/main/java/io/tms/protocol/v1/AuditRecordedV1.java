package io.tms.protocol.v1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * One entry of a site's own audit log: a manual action or override at the site (a card unlocked,
 * a load cancelled, a manual gauge entry), who did it ({@code terminalId}, and the {@code operator}
 * the terminal named, if any) and what it touched. The site's audit entries form their own hash
 * chain ({@link #chain}), independent of the outbox's, so the log can be verified wherever it is
 * kept: at the site and, after it synced, in the cloud. {@code detail} is a small JSON object.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AuditRecordedV1(
    long auditSeq,
    Instant at,
    String terminalId,
    String operator,
    String action,
    String subject,
    String detail,
    String prevHash,
    String hash) {

  public static final String GENESIS = "0".repeat(64);

  /** {@code SHA-256(prevHash, auditSeq, at, terminalId, operator, action, subject, detail)}, hex. */
  public static String chain(
      String prevHash, long auditSeq, String at, String terminalId, String operator, String action, String subject,
      String detail) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String part : new String[] {prevHash, Long.toString(auditSeq), at, terminalId, operator, action, subject}) {
        sha.update((part == null ? "" : part).getBytes(StandardCharsets.UTF_8));
        sha.update((byte) '\n');
      }
      sha.update((detail == null ? "" : detail).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  /** Whether this entry's hash is the chain of its fields after {@code prevHash}. */
  public boolean verifies() {
    return hash != null && hash.equals(chain(prevHash, auditSeq, at == null ? null : at.toString(), terminalId,
        operator, action, subject, detail));
  }
}
