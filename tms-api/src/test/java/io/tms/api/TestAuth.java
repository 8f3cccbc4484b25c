package io.tms.api;

import io.tms.api.auth.ApiTokens;
import io.tms.api.auth.PeopleStore;
import io.tms.api.auth.Role;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * API tokens for tests, issued through the production SQL ({@link PeopleStore}) straight into the
 * cloud's database, so any replica on it accepts them: {@link #adminToken} for the bootstrap admin
 * that every cloud creates on start, {@link #token} for a user of given roles and sites.
 */
public final class TestAuth {
  private static final PeopleStore STORE = new PeopleStore();

  private TestAuth() {}

  /** A new token of user {@code admin} (role ADMIN), valid for a day. */
  public static String adminToken(Cloud cloud) {
    return adminToken(cloud.database().jdbi());
  }

  public static String adminToken(Jdbi jdbi) {
    return issue(jdbi, "admin");
  }

  /** A new token of user {@code userId}, created with these roles and sites if it does not exist. */
  public static String token(Cloud cloud, String userId, Collection<Role> roles, Collection<String> sites) {
    Jdbi jdbi = cloud.database().jdbi();
    jdbi.useHandle(h -> STORE.insertUser(h, new PeopleStore.User(userId, userId,
        roles.stream().map(Enum::name).sorted().toList(), sites.stream().sorted().toList(), true, 1, null)));
    return issue(jdbi, userId);
  }

  /** Adds {@code Authorization: Bearer token}. */
  public static HttpRequest.Builder bearer(HttpRequest.Builder b, String token) {
    return b.header("Authorization", "Bearer " + token);
  }

  private static String issue(Jdbi jdbi, String userId) {
    String secret = ApiTokens.newSecret();
    Instant now = Instant.now();
    jdbi.useHandle(h -> STORE.insertToken(h,
        new PeopleStore.Token(ApiTokens.newId(), userId, "test", now, now.plus(Duration.ofDays(1)), null),
        ApiTokens.sha256(secret)));
    return secret;
  }

  /** Every role, for tests that walk them. */
  public static List<Role> roles() {
    return List.of(Role.values());
  }
}
