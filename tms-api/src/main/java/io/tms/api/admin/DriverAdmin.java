package io.tms.api.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.api.http.ApiException;
import io.tms.api.store.MasterTable;
import io.tms.domain.authorization.PinHash;
import io.tms.protocol.v1.sync.DriverV1;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;

/**
 * Drivers with their card, the carriers they drive for and their certifications. The admin sends a
 * PIN (4-8 digits) on create and whenever it changes; only its PBKDF2 hash is stored and sent to the
 * sites, and neither the PIN nor the hash is ever answered. Deactivating a driver deactivates the card.
 * Instead of a PIN, an import from another system (or a demo data set) may send {@code pinHash}, an
 * encoded PBKDF2-SHA256 hash, so drivers keep the PINs they have.
 */
final class DriverAdmin implements AdminEntity<DriverAdmin.Body, DriverV1> {
  record Body(
      String id, String name, String cardNumber, Boolean cardActive, String pin, String pinHash,
      Set<String> carrierIds, Map<String, LocalDate> certifications, Long version) {
    @Override
    public String toString() {
      return "DriverAdmin.Body[id=" + id + "]";
    }
  }

  /** PBKDF2 iterations for new hashes; the count travels in the hash, so it can be raised later. */
  static final int PIN_ITERATIONS = 120_000;
  private static final Pattern PIN = Pattern.compile("[0-9]{4,8}");
  private static final Pattern CARD = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,63}");
  private static final TypeReference<Set<String>> IDS = new TypeReference<>() {};
  private static final TypeReference<Map<String, LocalDate>> CERTS = new TypeReference<>() {};

  private final ObjectMapper json;
  private final SecureRandom random = new SecureRandom();
  private final MasterTable<DriverV1> table;

  DriverAdmin(ObjectMapper json) {
    this.json = json;
    this.table = new MasterTable<>("driver", null, java.util.List.of("id"), Set.of("carrier_ids", "certifications"),
        d -> MasterTable.columns("id", d.id(), "name", d.name(), "card_number", d.cardNumber(),
            "card_active", d.cardActive(), "pin_hash", d.pinHash(), "carrier_ids", write(d.carrierIds()),
            "certifications", write(d.certifications())),
        rs -> new DriverV1(rs.getString("id"), rs.getString("name"), rs.getString("card_number"),
            rs.getBoolean("card_active"), rs.getString("pin_hash"),
            new TreeSet<>(read(rs.getString("carrier_ids"), IDS)),
            new TreeMap<>(read(rs.getString("certifications"), CERTS))));
  }

  @Override
  public String collection() {
    return "drivers";
  }

  @Override
  public Class<Body> bodyType() {
    return Body.class;
  }

  @Override
  public MasterTable<DriverV1> table() {
    return table;
  }

  @Override
  public String keyField() {
    return "id";
  }

  @Override
  public Set<String> hidden() {
    return Set.of("pinHash");
  }

  @Override
  public DriverV1 record(String site, String key, Body b, DriverV1 current) {
    String id = Fields.id("id", Fields.key("id", b.id(), key));
    String name = Fields.name("name", b.name());
    String card = Fields.required("cardNumber", b.cardNumber());
    if (!CARD.matcher(card).matches()) {
      throw Fields.invalid("cardNumber", "cardNumber must be 1-64 letters, digits or '-'");
    }
    Set<String> carriers = new TreeSet<>();
    for (String carrier : b.carrierIds() == null ? Set.<String>of() : b.carrierIds()) {
      carriers.add(Fields.id("carrierIds", carrier));
    }
    Map<String, LocalDate> certs = new TreeMap<>();
    if (b.certifications() != null) {
      b.certifications().forEach((cert, expires) -> {
        if (cert.isBlank() || cert.length() > 64) {
          throw Fields.invalid("certifications", "a certification name must be 1-64 characters");
        }
        certs.put(cert, Fields.required("certifications." + cert, expires));
      });
    }
    String pinHash;
    if (b.pin() != null && b.pinHash() != null) {
      throw Fields.invalid("pinHash", "send either pin or pinHash, not both");
    }
    if (b.pinHash() != null) {
      pinHash = importedHash(b.pinHash());
    } else if (b.pin() != null) {
      if (!PIN.matcher(b.pin()).matches()) {
        throw Fields.invalid("pin", "pin must be 4-8 digits");
      }
      byte[] salt = new byte[16];
      random.nextBytes(salt);
      pinHash = PinHash.create(b.pin(), salt, PIN_ITERATIONS).encoded();
    } else if (current != null) {
      pinHash = current.pinHash();
    } else {
      throw Fields.invalid("pin", "pin is required for a new driver");
    }
    boolean cardActive = Fields.active(b.cardActive(), current == null ? null : current.cardActive());
    return new DriverV1(id, name, card, cardActive, pinHash, carriers, certs);
  }

  /** A hash from another system: must be a well-formed PBKDF2-SHA256 hash of at least 1,000 iterations. */
  private static String importedHash(String encoded) {
    PinHash parsed;
    try {
      parsed = PinHash.parse(encoded);
    } catch (IllegalArgumentException e) {
      throw Fields.invalid("pinHash", "pinHash must be an encoded pbkdf2-sha256 hash (pbkdf2-sha256:ITERATIONS:SALT:HASH)");
    }
    String[] parts = parsed.encoded().split(":");
    if (Integer.parseInt(parts[1]) < 1_000 || parts[2].length() < 11 || parts[3].length() < 43) {
      throw Fields.invalid("pinHash", "pinHash needs >= 1000 iterations, a salt of >= 8 bytes and a 256-bit hash");
    }
    return parsed.encoded();
  }

  @Override
  public void checkReferences(Handle h, DriverV1 d) {
    for (String carrier : d.carrierIds()) {
      References.exists(h, "carrier", "id", carrier, "carrierIds");
    }
    String holder = h.createQuery("SELECT id FROM driver WHERE card_number = :c AND id <> :id")
        .bind("c", d.cardNumber()).bind("id", d.id()).mapTo(String.class).findOne().orElse(null);
    if (holder != null) {
      throw new ApiException(409, "ALREADY_EXISTS", "cardNumber",
          "card " + d.cardNumber() + " belongs to driver " + holder);
    }
  }

  /** An insert that found a unique key taken: the id, or else the card number. */
  @Override
  public String conflictField(Handle h, DriverV1 d) {
    boolean idTaken = h.createQuery("SELECT EXISTS (SELECT 1 FROM driver WHERE id = :id)").bind("id", d.id())
        .mapTo(Boolean.class).one();
    return idTaken ? "id" : "cardNumber";
  }

  @Override
  public boolean active(DriverV1 r) {
    return r.cardActive();
  }

  @Override
  public DriverV1 deactivated(DriverV1 r) {
    return new DriverV1(r.id(), r.name(), r.cardNumber(), false, r.pinHash(), r.carrierIds(), r.certifications());
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private <T> T read(String text, TypeReference<T> type) {
    try {
      return json.readValue(text, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable column in table driver", e);
    }
  }
}
