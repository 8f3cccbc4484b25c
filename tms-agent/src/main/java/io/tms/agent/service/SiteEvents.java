package io.tms.agent.service;

import io.tms.protocol.v1.AuthorizationDecidedV1;
import io.tms.protocol.v1.BolIssuedV1;
import io.tms.protocol.v1.LoadStartedV1;

/**
 * What the site tells its observers (metrics, logs) once a unit of work has committed. Called on the
 * writer thread: implementations must be quick and must not block.
 */
public interface SiteEvents {
  void authorized(AuthorizationDecidedV1 decision);

  void loadStarted(LoadStartedV1 load);

  void bolIssued(BolIssuedV1 bol);
}
