package io.tms.api.auth;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;

/**
 * The SQL of users and API tokens (V60). Every method runs in the caller's handle, so a change and
 * its audit row share one transaction. Stateless and thread-safe.
 */
public final class PeopleStore {
  /** A user as stored; {@code roles} and {@code sites} sorted. */
  public record User(String id, String name, List<String> roles, List<String> sites, boolean active, long version,
      Instant createdAt) {}

  /** An API token without its secret (which is never stored). */
  public record Token(String id, String userId, String name, Instant createdAt, Instant expiresAt, Instant revokedAt) {}

  /** The user of a valid token: known hash, not expired, not revoked, user active. */
  public Optional<Principal> principalByToken(Handle h, byte[] sha256, Instant now) {
    return h.createQuery("""
            SELECT u.id, u.roles, u.sites, t.id AS token_id
            FROM api_token t JOIN app_user u ON u.id = t.user_id
            WHERE t.sha256 = :sha AND t.revoked_at IS NULL AND t.expires_at > :now AND u.active""")
        .bind("sha", sha256)
        .bind("now", at(now))
        .map((rs, ctx) -> {
          Set<Role> roles = EnumSet.noneOf(Role.class);
          for (String r : strings(rs.getArray("roles"))) {
            Role role = Role.parse(r);
            if (role != null) {
              roles.add(role);
            }
          }
          return new Principal(rs.getString("id"), roles, Set.copyOf(strings(rs.getArray("sites"))),
              "token:" + rs.getString("token_id"));
        })
        .findOne();
  }

  public Optional<User> user(Handle h, String id, boolean forUpdate) {
    return h.createQuery("SELECT * FROM app_user WHERE id = :id" + (forUpdate ? " FOR UPDATE" : ""))
        .bind("id", id).map((rs, ctx) -> user(rs)).findOne();
  }

  public List<User> users(Handle h) {
    return h.createQuery("SELECT * FROM app_user ORDER BY id").map((rs, ctx) -> user(rs)).list();
  }

  /** Inserts a user; false when the id is taken. */
  public boolean insertUser(Handle h, User u) {
    return h.createUpdate("""
            INSERT INTO app_user (id, name, roles, sites, active) VALUES (:id, :name, :roles, :sites, :active)
            ON CONFLICT (id) DO NOTHING""")
        .bind("id", u.id()).bind("name", u.name())
        .bindArray("roles", String.class, u.roles()).bindArray("sites", String.class, u.sites())
        .bind("active", u.active())
        .execute() == 1;
  }

  /** Writes name, roles, sites and active; returns the new version. */
  public long updateUser(Handle h, User u) {
    return h.createQuery("""
            UPDATE app_user SET name = :name, roles = :roles, sites = :sites, active = :active, version = version + 1
            WHERE id = :id RETURNING version""")
        .bind("id", u.id()).bind("name", u.name())
        .bindArray("roles", String.class, u.roles()).bindArray("sites", String.class, u.sites())
        .bind("active", u.active())
        .mapTo(Long.class).one();
  }

  public long activeAdmins(Handle h) {
    return h.createQuery("SELECT count(*) FROM app_user WHERE active AND 'ADMIN' = ANY (roles)")
        .mapTo(Long.class).one();
  }

  public void insertToken(Handle h, Token t, byte[] sha256) {
    h.createUpdate("""
            INSERT INTO api_token (id, user_id, name, sha256, created_at, expires_at)
            VALUES (:id, :user, :name, :sha, :created, :expires)""")
        .bind("id", t.id()).bind("user", t.userId()).bind("name", t.name()).bind("sha", sha256)
        .bind("created", at(t.createdAt())).bind("expires", at(t.expiresAt()))
        .execute();
  }

  public boolean tokenExists(Handle h, byte[] sha256) {
    return h.createQuery("SELECT EXISTS (SELECT 1 FROM api_token WHERE sha256 = :sha)").bind("sha", sha256)
        .mapTo(Boolean.class).one();
  }

  public List<Token> tokens(Handle h, String userId) {
    return h.createQuery("SELECT * FROM api_token WHERE user_id = :u ORDER BY created_at, id")
        .bind("u", userId).map((rs, ctx) -> token(rs)).list();
  }

  public Optional<Token> token(Handle h, String userId, String tokenId, boolean forUpdate) {
    return h.createQuery("SELECT * FROM api_token WHERE user_id = :u AND id = :id" + (forUpdate ? " FOR UPDATE" : ""))
        .bind("u", userId).bind("id", tokenId).map((rs, ctx) -> token(rs)).findOne();
  }

  public void revoke(Handle h, String tokenId, Instant now) {
    h.createUpdate("UPDATE api_token SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL")
        .bind("id", tokenId).bind("now", at(now)).execute();
  }

  public boolean siteExists(Handle h, String site) {
    return h.createQuery("SELECT EXISTS (SELECT 1 FROM site WHERE code = :c)").bind("c", site)
        .mapTo(Boolean.class).one();
  }

  static OffsetDateTime at(Instant i) {
    return i == null ? null : OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
  }

  private static Instant instant(ResultSet rs, String col) throws SQLException {
    OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  private static User user(ResultSet rs) throws SQLException {
    return new User(rs.getString("id"), rs.getString("name"), sorted(strings(rs.getArray("roles"))),
        sorted(strings(rs.getArray("sites"))), rs.getBoolean("active"), rs.getLong("version"),
        instant(rs, "created_at"));
  }

  private static Token token(ResultSet rs) throws SQLException {
    return new Token(rs.getString("id"), rs.getString("user_id"), rs.getString("name"), instant(rs, "created_at"),
        instant(rs, "expires_at"), instant(rs, "revoked_at"));
  }

  private static List<String> strings(Array a) throws SQLException {
    return a == null ? List.of() : Arrays.asList((String[]) a.getArray());
  }

  private static List<String> sorted(List<String> l) {
    return List.copyOf(new TreeSet<>(l));
  }
}
