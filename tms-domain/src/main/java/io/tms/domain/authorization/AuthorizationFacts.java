package io.tms.domain.authorization;

import io.tms.domain.allocation.Reserve;
import io.tms.domain.masterdata.Carrier;
import io.tms.domain.masterdata.Customer;
import io.tms.domain.masterdata.Driver;
import io.tms.domain.masterdata.Product;
import io.tms.domain.masterdata.Vehicle;
import java.time.LocalDate;
import java.util.Optional;

/** What the authorizer needs to know about a site, answered from local data only. */
public interface AuthorizationFacts {
  Optional<Driver> driverByCard(String cardNumber);

  CardState cardState(String cardNumber);

  Optional<Vehicle> vehicle(String vehicleId);

  Optional<Carrier> carrier(String carrierId);

  Optional<Customer> customer(String customerId);

  Optional<Product> product(String productCode);

  /** Whether the customer may lift the product at this site. */
  boolean customerMayLift(String customerId, String productCode);

  /** This site's reserve of the customer's allocation of the product that covers the day. */
  Optional<Reserve> reserveFor(String customerId, String productCode, LocalDate day);
}
