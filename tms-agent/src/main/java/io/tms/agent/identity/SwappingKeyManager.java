package io.tms.agent.identity;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The client key manager of every agent→cloud connection: it presents whatever credential is
 * current, so a renewed certificate is used by the next handshake without rebuilding the TLS
 * context or restarting anything. Before enrollment it presents none. Thread-safe (one atomic
 * reference; a handshake sees either the old or the new credential, never half of each).
 */
public final class SwappingKeyManager extends X509ExtendedKeyManager {
  private static final String ALIAS = "site";

  /** A key with its certificate chain (leaf first). */
  public record Credential(PrivateKey key, X509Certificate[] chain) {}

  private final AtomicReference<Credential> current = new AtomicReference<>();

  public void swap(Credential next) {
    current.set(next);
  }

  public Credential current() {
    return current.get();
  }

  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
    return current.get() == null ? null : ALIAS;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return current.get() == null ? null : ALIAS;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return current.get() == null ? null : new String[] {ALIAS};
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    Credential c = current.get();
    return c == null ? null : c.chain().clone();
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    Credential c = current.get();
    return c == null ? null : c.key();
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return null;
  }
}
