package io.tms.api.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * One master-data table of the cloud: versioned rows keyed by text columns, optionally inside a
 * scope column (a site). The SQL is the same shape for every table, so it is written once here;
 * each entity says which columns it has and how a row becomes its record. Column names come from
 * code, never from requests. Every method runs on the caller's handle (and transaction). Immutable
 * and thread-safe.
 */
public final class MasterTable<R> {
  /** Reads one row into a record. */
  @FunctionalInterface
  public interface Reader<R> {
    R read(ResultSet rs) throws SQLException;
  }

  private final String table;
  private final String scopeColumn;
  private final List<String> keyColumns;
  private final Set<String> jsonColumns;
  private final Function<R, Map<String, Object>> columns;
  private final Reader<R> reader;

  /**
   * @param scopeColumn the column every lookup is confined to (e.g. {@code site_code}), or null
   * @param keyColumns the key within the scope, in list order
   * @param jsonColumns columns whose values are JSON text to store as jsonb
   * @param columns every stored column of a record (scope and key included), without version
   */
  public MasterTable(
      String table, String scopeColumn, List<String> keyColumns, Set<String> jsonColumns,
      Function<R, Map<String, Object>> columns, Reader<R> reader) {
    this.table = table;
    this.scopeColumn = scopeColumn;
    this.keyColumns = List.copyOf(keyColumns);
    this.jsonColumns = Set.copyOf(jsonColumns);
    this.columns = columns;
    this.reader = reader;
  }

  public String name() {
    return table;
  }

  public int keySize() {
    return keyColumns.size();
  }

  /** The row with this key (in this scope), locked until the transaction ends when {@code forUpdate}. */
  public Optional<Versioned<R>> find(Handle h, String scope, List<String> key, boolean forUpdate) {
    Query q = h.createQuery("SELECT * FROM " + table + " WHERE " + where(scope) + (forUpdate ? " FOR UPDATE" : ""));
    bindKey(q, scope, key);
    return q.map((rs, ctx) -> new Versioned<>(reader.read(rs), rs.getLong("version"))).findOne();
  }

  /** Inserts the record at version 1; false (and nothing written) when a unique key is taken. */
  public boolean insert(Handle h, R record) {
    Map<String, Object> values = columns.apply(record);
    String names = String.join(", ", values.keySet());
    String params = values.keySet().stream().map(this::param).collect(Collectors.joining(", "));
    var update = h.createUpdate(
        "INSERT INTO " + table + " (" + names + ") VALUES (" + params + ") ON CONFLICT DO NOTHING");
    values.forEach(update::bind);
    return update.execute() == 1;
  }

  /** Replaces the row's columns and raises its version; returns the new version. */
  public long update(Handle h, String scope, List<String> key, R record) {
    Map<String, Object> values = columns.apply(record);
    String sets = values.keySet().stream().map(c -> c + " = " + param(c)).collect(Collectors.joining(", "));
    var q = h.createQuery("UPDATE " + table + " SET " + sets + ", version = version + 1, updated_at = now() WHERE "
        + where(scope) + " RETURNING version");
    values.forEach(q::bind);
    bindKey(q, scope, key);
    return q.mapTo(Long.class).one();
  }

  /** Up to {@code limit} rows after {@code after} (null: from the start) in key order. */
  public List<Versioned<R>> page(Handle h, String scope, List<String> after, int limit) {
    StringBuilder sql = new StringBuilder("SELECT * FROM " + table + " WHERE TRUE");
    if (scopeColumn != null) {
      sql.append(" AND ").append(scopeColumn).append(" = :scope");
    }
    String keyTuple = "(" + String.join(", ", keyColumns) + ")";
    if (after != null) {
      sql.append(" AND ").append(keyTuple).append(" > (")
          .append(IntStream.range(0, keyColumns.size()).mapToObj(i -> ":a" + i).collect(Collectors.joining(", ")))
          .append(")");
    }
    sql.append(" ORDER BY ").append(String.join(", ", keyColumns)).append(" LIMIT :limit");
    Query q = h.createQuery(sql.toString()).bind("limit", limit);
    if (scopeColumn != null) {
      q.bind("scope", scope);
    }
    if (after != null) {
      for (int i = 0; i < keyColumns.size(); i++) {
        q.bind("a" + i, after.get(i));
      }
    }
    return new ArrayList<>(q.map((rs, ctx) -> new Versioned<>(reader.read(rs), rs.getLong("version"))).list());
  }

  private String where(String scope) {
    List<String> terms = new ArrayList<>();
    if (scopeColumn != null) {
      terms.add(scopeColumn + " = :scope");
    }
    for (int i = 0; i < keyColumns.size(); i++) {
      terms.add(keyColumns.get(i) + " = :k" + i);
    }
    return String.join(" AND ", terms);
  }

  private void bindKey(SqlStatement<?> q, String scope, List<String> key) {
    if (key.size() != keyColumns.size()) {
      throw new IllegalArgumentException(table + " has a key of " + keyColumns.size() + " parts (got " + key + ")");
    }
    if (scopeColumn != null) {
      q.bind("scope", scope);
    }
    for (int i = 0; i < key.size(); i++) {
      q.bind("k" + i, key.get(i));
    }
  }

  /** Column values in the order given: {@code columns("code", code, "name", name)}. */
  public static Map<String, Object> columns(Object... namesAndValues) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      out.put((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    return out;
  }

  private String param(String column) {
    return jsonColumns.contains(column) ? "CAST(:" + column + " AS jsonb)" : ":" + column;
  }
}
