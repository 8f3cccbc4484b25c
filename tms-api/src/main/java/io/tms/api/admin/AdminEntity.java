package io.tms.api.admin;

import io.tms.api.store.MasterTable;
import io.tms.protocol.v1.sync.MasterRecordV1;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * One kind of master data behind {@link CrudResource}: its request body, its table, and the rules
 * that turn a body into the whole wire record that is stored and sent down the change feed.
 *
 * @param <B> the request body (boxed fields, so a missing one is reported rather than defaulted)
 * @param <R> the stored record
 */
interface AdminEntity<B, R extends MasterRecordV1> {
  /** The collection's name in URLs ({@code products}). */
  String collection();

  Class<B> bodyType();

  MasterTable<R> table();

  /** The body field and path parameter that holds the key ({@code id} or {@code code}). */
  String keyField();

  /** Whether the entity lives under {@code /v1/sites/{code}/...}. */
  default boolean siteScoped() {
    return false;
  }

  /**
   * Validates a body into the record to store: 400 naming the field when it is malformed. On create
   * {@code key} and {@code current} are null; {@code site} is the path's site code for site-scoped
   * entities, otherwise null.
   */
  R record(String site, String key, B body, R current);

  /** Checks what the record refers to (422 naming the field) and other rows it must not clash with (409). */
  default void checkReferences(Handle h, R record) {}

  boolean active(R record);

  R deactivated(R record);

  /** The site the change is scoped to in the feed, or null for every site. */
  default String feedScope(R record) {
    return null;
  }

  /** Record fields never shown in an answer (e.g. a PIN hash). */
  default Set<String> hidden() {
    return Set.of();
  }

  /** The record's key within its scope, as the table stores it. */
  default List<String> key(R record) {
    return List.of(record.key());
  }

  /** The field to name when an insert finds a unique key taken. */
  default String conflictField(Handle h, R record) {
    return keyField();
  }
}
